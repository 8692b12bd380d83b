import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot, selectBlock, shot } from './editor-helpers';
import {
  exampleDoc,
  importGraph,
  oneCallGraph,
  openGraph,
  startRun,
  status,
  takenEdge,
  trpc,
  waitForPhase,
} from './run-helpers';

const screenshots = resolve(repoRoot, 'docs/screenshots');

test('runs a graph: statuses change live, tokens stream into the block, taken edges light up', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1600, height: 960 });
  const id = await importGraph(page.request, exampleDoc('parallel-fanout.json'));
  await openGraph(page, id);
  await expect(status(page, 'write')).toHaveAttribute('data-status', 'idle');

  await startRun(page);
  // The three branches run at once; the writer (join "all") waits for all of them.
  await expect(status(page, 'input')).toHaveAttribute('data-status', 'done');
  await expect(status(page, 'facts')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('block-live-facts')).toContainText(/running · \d/);
  await expect(status(page, 'write')).toHaveAttribute('data-status', 'queued', { timeout: 10_000 });
  await expect(takenEdge(page, 't1')).toHaveCount(1);

  // Tokens stream into the running block, on the canvas and in its detail view.
  await selectBlock(page, 'write');
  await page.getByTestId('inspector-tab-run').click();
  await expect(status(page, 'write')).toHaveAttribute('data-status', 'running', { timeout: 15_000 });
  await expect(page.getByTestId('block-stream-text')).not.toHaveText(/^…?$/, { timeout: 10_000 });
  const early = (await page.getByTestId('block-stream-text').textContent()) ?? '';
  await expect(page.getByTestId('block-stream-write')).toBeVisible();
  await page.getByRole('button', { name: 'Fit View' }).click();
  await page.waitForTimeout(300);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: resolve(screenshots, 'run.png') });
  await shot(page, 'run-live');
  // More text arrives while it runs (or the run ends with the full response).
  await expect
    .poll(async () => {
      const text = page.getByTestId('block-stream-text').or(page.getByTestId('attempt-response'));
      const now = (await text.first().textContent()) ?? '';
      return now.length > early.length;
    })
    .toBe(true);

  await waitForPhase(page, 'finished');
  for (const b of ['input', 'pros', 'cons', 'facts', 'write', 'output'])
    await expect(status(page, b)).toHaveAttribute('data-status', 'done');
  await expect(takenEdge(page, 't4')).toHaveCount(1);
  await expect(page.getByTestId('attempt-card')).toHaveCount(1);
  await expect(page.getByTestId('attempt-card')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('run-outputs')).toContainText('brief');
  await expect(page.getByTestId('block-live-write')).toContainText('$');
});

test('a 429-then-success shows the retry on the block and two attempts in the inspector', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1600, height: 960 });
  const doc = oneCallGraph('Retry once', {
    provider: 'fake',
    model: `rate-limit-then-ok:${Date.now()}`,
    content: 'Say hello to {{input.topic}}',
    recovery: { retry: { maxAttempts: 3, baseDelayMs: 100, jitter: 0 } },
  });
  const id = await importGraph(page.request, doc);
  await openGraph(page, id);
  await startRun(page);
  // While it waits before the retry, the block says which attempt failed and why.
  await expect(page.getByTestId('block-live-write')).toContainText('attempt 1 rate_limited: waiting');
  await waitForPhase(page, 'finished');
  await expect(page.getByTestId('block-live-write')).toContainText('2 attempts');

  await selectBlock(page, 'write');
  await page.getByTestId('inspector-tab-run').click();
  const cards = page.getByTestId('attempt-card');
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(0)).toHaveAttribute('data-status', 'rate_limited');
  await expect(cards.nth(1)).toHaveAttribute('data-status', 'ok');
  await expect(cards.nth(1)).toHaveAttribute('data-kind', 'retry');
  await expect(cards.nth(1).getByTestId('attempt-reason')).toContainText(
    'Retried because attempt 1 ended rate_limited',
  );
  await expect(cards.nth(1).getByTestId('attempt-reason')).toContainText('waited 1200 ms');
  await expect(cards.nth(1).getByTestId('attempt-response')).toHaveText('Say hello to tea');
  await expect(page.getByTestId('actual-vs-estimate')).toBeVisible();
  // Open the first attempt too, for the picture.
  await cards.nth(0).locator('summary').click();
  await page.screenshot({ path: resolve(screenshots, 'inspector.png') });
  await shot(page, 'inspector-retry');
});

test('cancels a running graph', async ({ page }) => {
  const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
  const id = await importGraph(
    page.request,
    oneCallGraph('Slow', { provider: 'fake', model: 'slow-drip-250', content: `${words} {{input.topic}}` }),
  );
  await openGraph(page, id);
  await startRun(page);
  await expect(status(page, 'write')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('block-stream-write')).toContainText('word', { timeout: 10_000 });
  await page.getByTestId('run-cancel').click();
  await waitForPhase(page, 'cancelled', 10_000);
  await expect(page.getByTestId('dock-phase')).toHaveText('cancelled');
  await expect(status(page, 'write')).toHaveAttribute('data-status', 'failed');
  await expect(status(page, 'output')).toHaveAttribute('data-status', 'idle');
  await expect(page.getByTestId('run-cancel')).toHaveCount(0);
  await shot(page, 'run-cancelled');
});

test('reloading mid-run reopens the run from the URL and follows it live without losing an event', async ({
  page,
}) => {
  const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
  const id = await importGraph(
    page.request,
    oneCallGraph('Reload', { provider: 'fake', model: 'slow-drip-150', content: words }),
  );
  await openGraph(page, id);
  const runId = await startRun(page);
  await expect(page.getByTestId('block-stream-write')).toContainText('w3', { timeout: 10_000 });

  await page.reload();
  await expect(page).toHaveURL(new RegExp(`\\?run=${runId}$`));
  await expect(page.getByTestId('run-summary')).toHaveAttribute('data-run-id', runId);
  // What happened before the reload is back, and the run goes on live.
  await expect(status(page, 'input')).toHaveAttribute('data-status', 'done');
  await expect(status(page, 'write')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('block-stream-write')).toContainText('w2');
  await expect(page.getByTestId('run-connection')).toHaveText('live');
  await expect(page.getByTestId('block-stream-write')).toContainText('w20', { timeout: 10_000 });
  await waitForPhase(page, 'finished');
  await expect(status(page, 'output')).toHaveAttribute('data-status', 'done');

  const summary = page.getByTestId('run-summary');
  const lastSeq = Number(await summary.getAttribute('data-last-seq'));
  const applied = Number(await summary.getAttribute('data-applied'));
  const server = await trpc<{ lastSeq: number }>(page.request, 'run.get', { runId }, { kind: 'query' });
  expect(lastSeq).toBe(server.lastSeq);
  expect(applied).toBe(lastSeq + 1);
  await selectBlock(page, 'write');
  await page.getByTestId('inspector-tab-run').click();
  await expect(page.getByTestId('attempt-response')).toHaveText(words);
});

test('the timeline shows parallel branches, attempts and totals against the estimate', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 960 });
  const id = await importGraph(page.request, exampleDoc('parallel-fanout.json'));
  await openGraph(page, id);
  await startRun(page);
  await page.getByTestId('dock-tab-timeline').click();
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expect(page.getByTestId('timeline-row-pros')).toBeVisible();
  await waitForPhase(page, 'finished').catch(() => undefined);
  await expect(page.getByTestId('dock-phase')).toHaveText('finished', { timeout: 30_000 });
  for (const b of ['input', 'pros', 'cons', 'facts', 'write', 'output'])
    await expect(page.getByTestId(`timeline-row-${b}`)).toBeVisible();
  await expect(page.locator('[data-testid="tl-attempt"]')).toHaveCount(4);
  await expect(page.getByTestId('timeline-totals')).toContainText('expected');
  // The three branches overlap in time.
  const box = async (row: string) => {
    const b = await page.getByTestId(`timeline-row-${row}`).getByTestId('tl-visit').boundingBox();
    if (!b) throw new Error(`no bar for ${row}`);
    return b;
  };
  const [pros, cons, facts, write] = [
    await box('pros'),
    await box('cons'),
    await box('facts'),
    await box('write'),
  ];
  expect(Math.abs(pros.x - cons.x)).toBeLessThan(8);
  expect(Math.abs(pros.x - facts.x)).toBeLessThan(8);
  expect(write.x).toBeGreaterThanOrEqual(facts.x + facts.width - 8);
  await shot(page, 'timeline');
});

test('history lists runs, replays one on the canvas, and compares two side by side', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 960 });
  const id = await importGraph(
    page.request,
    oneCallGraph('Compare', { provider: 'simulated', model: 'sim-fast' }),
  );
  await openGraph(page, id);
  const first = await startRun(page);
  await waitForPhase(page, 'finished');
  await page.getByTestId('run-input-topic').fill('coffee');
  const second = await startRun(page);
  expect(second).not.toBe(first);
  await waitForPhase(page, 'finished');

  await page.getByTestId('dock-tab-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await expect(page.locator(`[data-run-id="${first}"]`)).toHaveAttribute('data-status', 'finished');

  // Open the older run: its trace is on the canvas, and it can be replayed.
  await page.getByTestId(`history-open-${first}`).click();
  await expect(page).toHaveURL(new RegExp(`\\?run=${first}$`));
  await waitForPhase(page, 'finished');
  await expect(status(page, 'write')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('run-outputs')).toContainText('tea');
  await page.getByTestId('replay-toggle').click();
  await expect(page.getByTestId('dock-phase')).toHaveText('replay');
  await expect(page.getByTestId('dock-phase')).toHaveText('finished', { timeout: 15_000 });

  await page.getByTestId('dock-tab-history').click();
  await page.getByTestId(`history-pick-${first}`).check();
  await page.getByTestId(`history-pick-${second}`).check();
  await page.getByTestId('compare-runs').click();
  const compare = page.getByTestId('compare');
  await expect(compare).toBeVisible();
  await expect(page.getByTestId('compare-head-A')).toContainText(first);
  await expect(page.getByTestId('compare-head-B')).toContainText(second);
  await expect(page.getByTestId('compare-head-B')).toContainText('coffee');
  await expect(page.getByTestId('compare-row-write')).toHaveAttribute('data-differs', 'true');
  await expect(page.getByTestId('compare-row-input')).toHaveAttribute('data-differs', 'true');
  await expect(page.getByTestId('compare-row-write').locator('td')).toHaveCount(8);
  await shot(page, 'compare');
});

test('a block can be tested alone with given upstream outputs', async ({ page }) => {
  const id = await importGraph(
    page.request,
    oneCallGraph('Alone', { provider: 'fake', model: 'echo', content: 'Topic: {{input.topic}}' }),
  );
  await openGraph(page, id);
  await selectBlock(page, 'write');
  await page.getByTestId('inspector-tab-run').click();
  await page.getByTestId('test-alone').locator('summary').click();
  await page.getByTestId('test-alone-input').fill('{"topic": "kites"}');
  await page.getByTestId('test-alone-run').click();
  // A single-block run stops after that block (a step), so it can be continued from there.
  await waitForPhase(page, 'interrupted');
  await expect(status(page, 'write')).toHaveAttribute('data-status', 'done');
  await expect(status(page, 'input')).toHaveAttribute('data-status', 'idle');
  await expect(page.getByTestId('block-output')).toHaveText('Topic: kites');
});

test('asks to save unsaved changes before running', async ({ page }) => {
  const id = await importGraph(page.request, oneCallGraph('Dirty', { provider: 'fake', model: 'echo' }));
  await openGraph(page, id);
  await selectBlock(page, 'write');
  await page.getByTestId('inspector-tab-config').click();
  await page.getByTestId('block-name').fill('Write it');
  await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Save before running?');
  await page.getByRole('button', { name: 'Save and run' }).click();
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v2/);
  await waitForPhase(page, 'finished');
});
