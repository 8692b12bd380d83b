import { expect, type Page, test } from '@playwright/test';
import { selectBlock, shot } from './editor-helpers';
import { importGraph, openGraph, startRun, status, topicInput, waitForPhase } from './run-helpers';

/** input(topic) → draft (echo) → polish (echo of the draft) → output: what polish says shows which draft it used. */
function twoStepGraph(name: string) {
  const llm = (id: string, name: string, x: number, content: string) => ({
    id,
    name,
    type: 'llm',
    position: { x, y: 120 },
    provider: 'fake',
    model: 'echo',
    messages: [{ role: 'user', content }],
  });
  return {
    schemaVersion: 1,
    name,
    blocks: [
      topicInput(120),
      llm('draft', 'Draft', 280, 'Draft about {{input.topic}}'),
      llm('polish', 'Polish', 560, 'Polished: {{out.draft}}'),
      { id: 'output', name: 'Result', type: 'output', position: { x: 840, y: 120 } },
    ],
    transitions: [
      { id: 't1', from: 'input', to: 'draft' },
      { id: 't2', from: 'draft', to: 'polish' },
      { id: 't3', from: 'polish', to: 'output' },
    ],
  };
}

async function runTab(page: Page, block: string): Promise<void> {
  await selectBlock(page, block);
  await page.getByTestId('inspector-tab-run').click();
}

/** Shows the dock's Run tab (its button toggles the dock when that tab is already shown). */
async function showRunTab(page: Page): Promise<void> {
  const tab = page.getByTestId('dock-tab-run');
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
}

async function polishSaid(page: Page): Promise<string> {
  await runTab(page, 'polish');
  const response = page.getByTestId('attempt-response').last();
  await expect(response).toBeVisible();
  return (await response.textContent()) ?? '';
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
});

test('pauses before a block, the edited state is used on resume', async ({ page }) => {
  const id = await importGraph(page.request, twoStepGraph('Debug edit'));
  await openGraph(page, id);
  await runTab(page, 'polish');
  await page.getByTestId('bp-before').check();
  await expect(page.getByTestId('bp-mark-polish')).toContainText('before');

  await startRun(page);
  await waitForPhase(page, 'interrupted');
  await expect(page.getByTestId('run-interrupt')).toContainText('Paused before block “polish”');
  await expect(status(page, 'draft')).toHaveAttribute('data-status', 'done');
  await expect(status(page, 'polish')).not.toHaveAttribute('data-status', 'done');

  const panel = page.getByTestId('paused-panel');
  await expect(panel).toBeVisible();
  const out = panel.getByTestId('state-out');
  await expect(out).toHaveValue(/Draft about tea/);
  // Invalid JSON is refused before anything is sent.
  await out.fill('{"draft": ');
  await expect(panel.getByTestId('state-out-error')).toBeVisible();
  await expect(panel.getByTestId('run-resume')).toBeDisabled();
  await out.fill('{"draft": "EDITED DRAFT"}');
  await expect(panel.getByTestId('state-out-error')).toHaveCount(0);
  await shot(page, 'debug-paused');
  await panel.getByTestId('run-resume').click();

  await waitForPhase(page, 'finished');
  await expect(status(page, 'polish')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('run-outputs')).toContainText('Polished: EDITED DRAFT');
  expect(await polishSaid(page)).toBe('Polished: EDITED DRAFT');
});

test('steps one block at a time, and a paused run can be cancelled', async ({ page }) => {
  const id = await importGraph(page.request, twoStepGraph('Debug step'));
  await openGraph(page, id);
  await runTab(page, 'draft');
  await page.getByTestId('bp-before').check();
  await startRun(page);
  await waitForPhase(page, 'interrupted');
  await expect(page.getByTestId('run-interrupt')).toContainText('Paused before block “draft”');
  await expect(status(page, 'draft')).not.toHaveAttribute('data-status', 'done');

  await page.getByTestId('paused-panel').getByTestId('run-step').click();
  await expect(page.getByTestId('run-interrupt')).toContainText('Paused after one step, at block “draft”');
  await waitForPhase(page, 'interrupted');
  await expect(status(page, 'draft')).toHaveAttribute('data-status', 'done');
  await expect(status(page, 'polish')).not.toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('paused-checkpoint')).toContainText('next to run: polish');

  await page.getByTestId('paused-panel').getByTestId('run-cancel-paused').click();
  await waitForPhase(page, 'cancelled');
  await expect(page.getByTestId('dock-phase')).toHaveText('cancelled');
  await expect(page.getByTestId('paused-panel')).toHaveCount(0);
  await expect(status(page, 'polish')).not.toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('run-start')).toBeEnabled();
});

test('forks a new run from a checkpoint on the timeline, with edited state', async ({ page }) => {
  const id = await importGraph(page.request, twoStepGraph('Debug fork'));
  await openGraph(page, id);
  const first = await startRun(page);
  await waitForPhase(page, 'finished');
  expect(await polishSaid(page)).toBe('Polished: Draft about tea');

  await page.getByTestId('dock-tab-timeline').click();
  await expect(page.getByTestId('tl-checkpoint').first()).toBeVisible();
  const items = page.getByTestId('checkpoint-item');
  const beforePolish = items.filter({ hasText: 'next: polish' });
  await expect(beforePolish).toHaveCount(1);
  await beforePolish.getByTestId('checkpoint-fork-edit').click();
  const editor = beforePolish.getByTestId('fork-state');
  await expect(editor.getByTestId('state-out')).toHaveValue(/Draft about tea/);
  await editor.getByTestId('state-out').fill('{"draft": "FORKED DRAFT"}');
  await shot(page, 'debug-fork');
  await editor.getByTestId('fork-submit').click();

  await expect(page).not.toHaveURL(new RegExp(`run=${first}`));
  await showRunTab(page);
  await waitForPhase(page, 'finished');
  await expect(page.getByTestId('run-outputs')).toContainText('Polished: FORKED DRAFT');
  // Only what follows the checkpoint ran again: the draft was not called a second time.
  await page.getByTestId('dock-tab-timeline').click();
  await expect(page.getByTestId('timeline-row-polish')).toBeVisible();
  await expect(page.getByTestId('timeline-row-draft')).toHaveCount(0);

  // A plain fork from the timeline's checkpoint marker re-runs from there with the recorded state.
  const forked = new URL(page.url()).searchParams.get('run');
  await page.getByTestId('dock-tab-history').click();
  await page.getByTestId(`history-open-${first}`).click();
  await expect(page).toHaveURL(new RegExp(`run=${first}`));
  await showRunTab(page);
  await waitForPhase(page, 'finished');
  await page.getByTestId('dock-tab-timeline').click();
  await page.getByTestId('tl-checkpoint').first().click();
  await expect(page).not.toHaveURL(new RegExp(`run=(${first}|${forked})`));
  await showRunTab(page);
  await waitForPhase(page, 'finished');
  await expect(page.getByTestId('run-outputs')).toContainText('Polished: Draft about tea');
});

test('runs again from a chosen block with the recorded upstream outputs', async ({ page }) => {
  const id = await importGraph(page.request, twoStepGraph('Debug from here'));
  await openGraph(page, id);
  await showRunTab(page);
  await page.getByTestId('run-input-topic').fill('kites');
  const first = await startRun(page);
  await waitForPhase(page, 'finished');

  await runTab(page, 'polish');
  await page.getByTestId('run-from-here').click();
  await expect(page).not.toHaveURL(new RegExp(`run=${first}`));
  await expect(page).toHaveURL(/\?run=r_/);
  await waitForPhase(page, 'finished');
  // polish ran on the draft recorded by the first run; the draft block itself did not run again.
  expect(await polishSaid(page)).toBe('Polished: Draft about kites');
  await expect(status(page, 'draft')).toHaveAttribute('data-status', 'idle');
  await expect(status(page, 'polish')).toHaveAttribute('data-status', 'done');
  await shot(page, 'debug-run-from-here');
});
