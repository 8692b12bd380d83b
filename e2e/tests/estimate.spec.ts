import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { block, repoRoot } from './editor-helpers';
import { type Estimate, fanOutGraph, fmtMs, fmtUsd, graphEstimate, recordRun } from './estimate-helpers';
import { importGraph, openGraph, trpc } from './run-helpers';

/** The badge and header show exactly the figures the server's estimate holds. */
async function expectFigures(page: Page, est: Estimate): Promise<void> {
  for (const id of ['fast', 'slow']) {
    const b = est.estimate.blocks.find((x) => x.blockId === id);
    if (!b) throw new Error(`no estimate for ${id}`);
    await expect(page.getByTestId(`est-samples-${id}`)).toHaveText(`n=${b.samples}`);
    await expect(page.getByTestId(`est-p50-${id}`)).toHaveText(`p50 ${fmtMs(b.latencyP50Ms)}`);
    await expect(page.getByTestId(`est-p95-${id}`)).toHaveText(`p95 ${fmtMs(b.latencyP95Ms)}`);
    await expect(page.getByTestId(`est-cost-${id}`)).toHaveText(fmtUsd(b.costPerVisitUsd));
    await expect(page.getByTestId(`est-success-${id}`)).toHaveText('100% ok');
  }
  const t = est.estimate.totals;
  await expect(page.getByTestId('est-total-cost')).toHaveText(
    `${fmtUsd(t.costUsd)}${t.costComplete ? '' : '+'}`,
  );
  await expect(page.getByTestId('est-total-p50')).toHaveText(fmtMs(t.latencyP50Ms));
  await expect(page.getByTestId('est-total-p95')).toHaveText(fmtMs(t.latencyP95Ms));
}

test('estimate badges and totals show recorded runs, follow a new run live, and mark the slow branch', async ({
  page,
  request,
}) => {
  const id = await importGraph(request, fanOutGraph('Estimates'));
  await Promise.all([recordRun(request, id, { topic: 'tea' }), recordRun(request, id, { topic: 'coffee' })]);
  const before = await graphEstimate(request, id);
  expect(before.estimate.blocks.find((b) => b.blockId === 'slow')?.samples).toBe(2);

  await openGraph(page, id);
  await expectFigures(page, before);
  await expect(page.getByTestId('est-slow')).toHaveAttribute('data-level', /fast|medium|slow/);

  // The slow branch of the fan-out is the critical path: its block and both of its edges.
  expect(before.estimate.totals.criticalPath).toEqual(['input', 'slow', 'output']);
  await expect(block(page, 'slow')).toHaveAttribute('data-critical', 'true');
  await expect(block(page, 'fast')).not.toHaveAttribute('data-critical', 'true');
  await expect(page.getByTestId('rf__edge-t_slow').locator('path.on-critical')).toHaveCount(1);
  await expect(page.getByTestId('rf__edge-t_slow_out').locator('path.on-critical')).toHaveCount(1);
  await expect(page.getByTestId('rf__edge-t_fast').locator('path.on-critical')).toHaveCount(0);
  await expect(page.getByTestId('est-critical')).toHaveText('Critical: Topic → Deep dive → Both');

  // Another run finishes (outside this page): the figures follow without a reload.
  await recordRun(request, id, { topic: 'cocoa' });
  const after = await graphEstimate(request, id);
  expect(after.estimate.blocks.find((b) => b.blockId === 'slow')?.samples).toBe(3);
  await expectFigures(page, after);

  // A roomier picture for the README, then back to the usual size.
  await page.setViewportSize({ width: 1600, height: 960 });
  await page.getByRole('button', { name: 'Fit View' }).click();
  await page.waitForTimeout(400);
  mkdirSync(resolve(repoRoot, 'docs/screenshots'), { recursive: true });
  await page.screenshot({ path: resolve(repoRoot, 'docs/screenshots/estimates.png') });
  await page.setViewportSize({ width: 1280, height: 720 });

  // The block's history: its latency histogram and its three attempts.
  await page.getByTestId('est-slow').click();
  await expect(page.getByTestId('est-popover')).toContainText('History of Deep dive');
  await expect(page.getByTestId('est-histogram')).toBeVisible();
  await expect(page.getByTestId('est-recent').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('est-pop-figures')).toContainText('3 attempts');
  await page.screenshot({ path: resolve(repoRoot, 'docs/screenshots/estimate-history.png') });

  // The overlay hides and comes back.
  await page.getByTestId('est-toggle').uncheck();
  await expect(page.getByTestId('est-slow')).toHaveCount(0);
  await expect(block(page, 'slow')).not.toHaveAttribute('data-critical', 'true');
  await page.getByTestId('est-toggle').check();
  await expect(page.getByTestId('est-slow')).toBeVisible();
});

test('a budget below the p95 estimate warns before Run', async ({ page, request }) => {
  const id = await importGraph(request, fanOutGraph('Budget'));
  await recordRun(request, id, { topic: 'tea' });
  await openGraph(page, id);
  await expect(page.getByTestId('est-total-p95')).toBeVisible();
  await expect(page.getByTestId('budget-warning')).toHaveCount(0);
  await page.getByTestId('budget-edit').click();
  await page.getByTestId('budget-latency').fill('0.2');
  await page.getByTestId('budget-save').click();
  await expect(page.getByTestId('budget-warning')).toContainText(/p95 .* exceeds the 200 ms latency budget/);
  await expect(page.getByTestId('budget-edit')).toHaveText('Budget: p95 200 ms');
  // Pressing Run asks first; declining starts nothing.
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText(
    /exceeds the 200 ms latency budget.*Run anyway\?/,
  );
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(page.getByTestId('run-summary')).toHaveCount(0);
  // The budget is part of the graph: undo removes it, and the warning with it.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('budget-warning')).toHaveCount(0);
});

test('a block with no history says so, and an edited block shows its previous version, labelled', async ({
  page,
  request,
}) => {
  const doc = fanOutGraph('Versions');
  const id = await importGraph(request, doc);
  await openGraph(page, id);
  await expect(page.getByTestId('est-slow')).toHaveText('no history yet');
  await expect(page.getByTestId('est-total-samples')).toHaveText('no history yet');
  await recordRun(request, id, { topic: 'tea' });
  await expect(page.getByTestId('est-samples-slow')).toHaveText('n=1');
  // A new prompt is a new block version with no history of its own: the old one's figures stand in.
  const blocks = (doc.blocks as { id: string; messages?: unknown }[]).map((b) =>
    b.id === 'slow' ? { ...b, messages: [{ role: 'user', content: 'Now in depth: {{input.topic}}.' }] } : b,
  );
  await trpc(request, 'graph.save', { id, doc: { ...doc, blocks } });
  await page.reload();
  await expect(page.getByTestId('est-prev-slow')).toHaveText('from previous version');
  await expect(page.getByTestId('est-samples-slow')).toHaveText('n=1');
  await expect(page.getByTestId('est-prev-fast')).toHaveCount(0);
});
