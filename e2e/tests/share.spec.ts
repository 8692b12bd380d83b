import { type Browser, expect, type Page, test } from '@playwright/test';
import { selectBlock, shot } from './editor-helpers';
import { importGraph, oneCallGraph, openGraph, startRun, status, trpc, waitForPhase } from './run-helpers';
import { ACCESS_TOKEN, tokenPort } from './servers';

/** A fresh browser profile: no access token, no local storage, nothing shared with the author's page. */
async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  return context.newPage();
}

async function createLink(page: Page, kind: 'graph' | 'run'): Promise<string> {
  await page.getByTestId('share-open').click();
  const dialog = page.getByTestId('share-dialog');
  await expect(dialog).toBeVisible();
  const rows = dialog.getByTestId('share-link-row');
  await expect(dialog.getByTestId('share-none').or(rows.first())).toBeVisible();
  const before = await rows.count();
  await dialog.getByTestId(`share-create-${kind}`).click();
  await expect(rows).toHaveCount(before + 1);
  // Newest first.
  await expect(rows.first()).toHaveAttribute('data-kind', kind === 'run' ? 'run' : 'graph_version');
  const url = await rows.first().getByTestId('share-link-url').inputValue();
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{22,}$/);
  return url;
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
});

test('a shared run opens read-only in a fresh profile with its trace; fork works; a revoked link stops working', async ({
  page,
  browser,
}) => {
  const id = await importGraph(page.request, oneCallGraph('Shared run', { provider: 'fake', model: 'echo' }));
  await openGraph(page, id);
  const runId = await startRun(page);
  await waitForPhase(page, 'finished');
  const url = await createLink(page, 'run');
  await expect(page.getByTestId('share-link-row').first()).toContainText(runId);
  await shot(page, 'share-dialog');

  const viewer = await freshPage(browser);
  await viewer.goto(url);
  const view = viewer.getByTestId('share-view');
  await expect(view).toBeVisible();
  await expect(view).toHaveAttribute('data-kind', 'run');
  await expect(viewer.getByTestId('share-graph-name')).toHaveText('Shared run');
  await expect(viewer.getByTestId('share-readonly')).toContainText('read-only');
  // The trace as it ran: statuses on the canvas, the timeline, the summary with the stored estimate.
  await expect(status(viewer, 'write')).toHaveAttribute('data-status', 'done');
  await expect(status(viewer, 'output')).toHaveAttribute('data-status', 'done');
  await expect(viewer.getByTestId('share-trace')).toBeVisible();
  await expect(viewer.getByTestId('timeline-row-write')).toBeVisible();
  await expect(viewer.getByTestId('tl-checkpoint-mark').first()).toBeVisible();
  await expect(viewer.getByTestId('run-summary')).toHaveAttribute('data-phase', 'finished');
  await expect(viewer.getByTestId('run-outputs')).toContainText('Write two sentences about tea.');
  await expect(viewer.getByTestId('share-overlay-totals')).toContainText('Expected per run');
  await expect(viewer.getByTestId('share-overlay-write')).toBeVisible();
  // The estimate overlay on the canvas, as it was when the link was made (one recorded call).
  await expect(viewer.getByTestId('est-samples-write')).toHaveText('n=1');
  // Nothing to run, edit, save or fork a run from.
  for (const testId of ['run-start', 'run-submit', 'save', 'palette-llm', 'run-close', 'tl-checkpoint'])
    await expect(viewer.getByTestId(testId)).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /^▶ Run/ })).toHaveCount(0);
  // Blocks do not move when dragged.
  const node = viewer.getByTestId('block-node-write');
  const before = await node.boundingBox();
  if (!before) throw new Error('block not visible');
  await viewer.mouse.move(before.x + 40, before.y + 10);
  await viewer.mouse.down();
  await viewer.mouse.move(before.x + 240, before.y + 160, { steps: 5 });
  await viewer.mouse.up();
  expect(await node.boundingBox()).toEqual(before);
  // A block's part of the run: its attempt, as text.
  await selectBlock(viewer, 'write');
  await expect(viewer.getByTestId('share-block-name')).toHaveText('Write');
  await expect(viewer.getByTestId('attempt-response')).toHaveText('Write two sentences about tea.');
  await expect(viewer.getByTestId('bp-before')).toHaveCount(0);
  await expect(viewer.getByTestId('run-from-here')).toHaveCount(0);
  await shot(viewer, 'share-run-view');

  // Fork to edit: a new graph of the viewer's own, open in the editor.
  await viewer.getByTestId('share-fork').click();
  await expect(viewer).toHaveURL(/\/graphs\/[^/]+$/);
  expect(viewer.url()).not.toContain(id);
  await expect(viewer.getByTestId('editor')).toBeVisible();
  await expect(viewer.getByTestId('graph-name')).toHaveText('Shared run (fork)');
  await expect(viewer.getByTestId('save-state')).toHaveText(/Saved · v1/);

  // Later runs change the author's estimate, not the one stored with the link.
  await page.getByTestId('share-close').click();
  await startRun(page);
  await waitForPhase(page, 'finished');
  await expect(page.getByTestId('est-samples-write')).toHaveText('n=2');
  await viewer.goto(url);
  await expect(viewer.getByTestId('est-samples-write')).toHaveText('n=1');

  // Revoke: the link now says so.
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-link-row').first().getByTestId('share-link-revoke').click();
  await expect(page.getByTestId('share-link-row').first()).toHaveAttribute('data-revoked', 'true');
  await expect(page.getByTestId('share-link-row').first().getByTestId('share-link-revoked')).toBeVisible();
  await viewer.goto(url);
  await expect(viewer.getByTestId('share-gone')).toHaveAttribute('data-revoked', 'true');
  await expect(viewer.getByTestId('share-gone')).toContainText('revoked');
  await expect(viewer.getByTestId('share-view')).toHaveCount(0);
  await viewer.context().close();
});

test('a shared graph opens read-only without a trace; an unknown link says so', async ({ page, browser }) => {
  const id = await importGraph(
    page.request,
    oneCallGraph('Shared graph', { provider: 'fake', model: 'echo' }),
  );
  await openGraph(page, id);
  const url = await createLink(page, 'graph');
  await expect(page.getByTestId('share-create-run')).toBeDisabled();

  const viewer = await freshPage(browser);
  await viewer.goto(url);
  await expect(viewer.getByTestId('share-view')).toHaveAttribute('data-kind', 'graph');
  await expect(status(viewer, 'write')).toHaveAttribute('data-status', 'idle');
  await expect(viewer.getByTestId('share-trace')).toHaveCount(0);
  await expect(viewer.getByTestId('run-start')).toHaveCount(0);
  await selectBlock(viewer, 'write');
  await viewer.getByTestId('share-side').locator('summary').click();
  await expect(viewer.getByTestId('share-block-settings')).toContainText('Write two sentences about');

  await viewer.goto('/share/AAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  await expect(viewer.getByTestId('share-gone')).toHaveAttribute('data-revoked', 'false');
  await expect(viewer.getByTestId('share-gone')).toContainText('does not exist');
  await viewer.goto('/share/too-short');
  await expect(viewer.getByTestId('share-gone')).toContainText('does not exist');
  // A mangled link is refused without a server error.
  expect((await viewer.goto('/share/%E0%A4%A'))?.status()).toBeLessThan(500);
  await viewer.context().close();
});

test('on a server with an access token, a share link opens without the token', async ({
  browser,
  request,
}) => {
  const base = `http://127.0.0.1:${tokenPort}`;
  const opts = { baseURL: base, token: ACCESS_TOKEN };
  const id = await importGraph(
    request,
    oneCallGraph('Token share', { provider: 'fake', model: 'echo' }),
    opts,
  );
  const { runId } = await trpc<{ runId: string }>(request, 'run.start', { graphId: id, input: {} }, opts);
  await expect
    .poll(
      async () =>
        (await trpc<{ status: string }>(request, 'run.get', { runId }, { ...opts, kind: 'query' })).status,
    )
    .toBe('finished');
  const link = await trpc<{ id: string }>(request, 'share.createForRun', { runId }, opts);

  const viewer = await freshPage(browser);
  await viewer.goto(`${base}/share/${link.id}`);
  await expect(viewer.getByTestId('share-view')).toBeVisible();
  await expect(status(viewer, 'write')).toHaveAttribute('data-status', 'done');
  await expect(viewer.getByTestId('timeline-row-write')).toBeVisible();
  await expect(viewer.getByTestId('token-prompt')).toHaveCount(0);
  expect(await viewer.evaluate(() => localStorage.getItem('graphwright.accessToken'))).toBeNull();
  await viewer.context().close();
});
