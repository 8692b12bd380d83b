import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  block,
  blocks,
  clickEmptyCanvas,
  createGraph,
  dragFromPalette,
  edges,
  mod,
  repoRoot,
  selectBlock,
  shot,
} from './editor-helpers';

test('imports an example graph document, which opens intact with its conditions on the edges', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByTestId('import-file').setInputFiles(resolve(repoRoot, 'examples/classify-and-route.json'));
  await expect(page.getByTestId('editor')).toBeVisible();
  await expect(page).toHaveURL(/\/graphs\/[^/]+$/);
  await expect(page.getByTestId('graph-name')).toHaveText('Classify then route');
  await expect(blocks(page)).toHaveCount(6);
  await expect(edges(page)).toHaveCount(7);
  await expect(page.getByTestId('edge-label-t_else')).toContainText('else');
  await expect(page.getByTestId('edge-label-t_bug')).toContainText('out.classify.label == "bug"');
  await expect(page.getByTestId('problems-summary')).toHaveText('No problems');
  await expect(page.getByTestId('block-model-classify')).toContainText('sim-fast · JSON');

  // A clean picture of the editor for the README.
  await page.setViewportSize({ width: 1600, height: 960 });
  await selectBlock(page, 'classify');
  await page.getByRole('button', { name: 'Fit View' }).click();
  await expect(page.locator('.toast')).toHaveCount(0, { timeout: 10_000 });
  await page.waitForTimeout(400);
  mkdirSync(resolve(repoRoot, 'docs/screenshots'), { recursive: true });
  await page.screenshot({ path: resolve(repoRoot, 'docs/screenshots/editor.png') });
  await shot(page, 'import-example');
  await page.setViewportSize({ width: 1280, height: 720 });

  // The inspector shows the structured output schema and offers its fields downstream.
  await selectBlock(page, 'classify');
  await expect(page.getByTestId('llm-output-schema')).toHaveValue(/"label"/);
  await selectBlock(page, 'bug');
  const msg = page.getByTestId('llm-message-0-content');
  await msg.click();
  await msg.press(`${mod}+End`);
  await msg.pressSequentially(' {{out.cl');
  await expect(page.getByTestId('template-suggestions').getByRole('option')).toHaveText([
    /out\.classify\b/,
    /out\.classify\.label/,
    /out\.classify\.confidence/,
  ]);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(msg).toHaveValue(/\{\{input\.ticket\}\} \{\{out\.classify\.label\}\}$/);
  await shot(page, 'import-example-completion');
  // Typing is one undo step.
  await clickEmptyCanvas(page);
  await page.keyboard.press(`${mod}+Z`);
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v1/);
});

test('save creates versions, and an older version can be restored as the newest', async ({ page }) => {
  await createGraph(page, 'Versions');
  await dragFromPalette(page, 'transform', { x: 300, y: 360 });
  await page.keyboard.press(`${mod}+S`);
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v2/);
  await dragFromPalette(page, 'llm', { x: 560, y: 360 });
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v3/);
  await expect(blocks(page)).toHaveCount(4);

  // Saving again without changes creates nothing.
  await page.getByTestId('save').click();
  await expect(page.getByTestId('toasts')).toContainText('No changes since version 3');

  await page.getByTestId('toggle-versions').click();
  const panel = page.getByTestId('versions-panel');
  await expect(panel.locator('li')).toHaveCount(3);
  await expect(page.getByTestId('version-3')).toContainText('current');
  await expect(page.getByTestId('version-1')).toContainText('2 blocks');
  await shot(page, 'versions-before-restore');

  await page.getByTestId('restore-1').click();
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v4/);
  await expect(blocks(page)).toHaveCount(2);
  await expect(page.getByTestId('version-4')).toContainText('current');
  await expect(panel.locator('li')).toHaveCount(4);

  // With unsaved changes, restoring asks first.
  await dragFromPalette(page, 'output', { x: 300, y: 360 });
  await page.getByTestId('restore-3').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.getByTestId('confirm-cancel').click();
  await expect(blocks(page)).toHaveCount(3);
  await page.getByTestId('restore-3').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v5/);
  await expect(blocks(page)).toHaveCount(4);
  await expect(block(page, 'llm')).toBeVisible();
  await shot(page, 'versions-after-restore');

  await page.reload();
  await expect(blocks(page)).toHaveCount(4);
});

test('the URL names the graph, and leaving with unsaved changes asks first', async ({ page }) => {
  const path = await createGraph(page, 'Bookmarked');
  await page.goto(path);
  await expect(page.getByTestId('graph-name')).toHaveText('Bookmarked');
  await expect(page.getByRole('heading', { name: 'Graphwright' })).toBeVisible();

  await dragFromPalette(page, 'transform', { x: 300, y: 360 });
  await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');
  await page.getByTestId('back-to-list').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('unsaved changes');
  await page.getByTestId('confirm-cancel').click();
  await expect(page).toHaveURL(path);
  await expect(blocks(page)).toHaveCount(3);

  // The browser's back button is guarded too.
  await page.goBack();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('graph-list-page')).toBeVisible();

  // An unknown graph id says so.
  await page.goto('/graphs/g_doesnotexist');
  await expect(page.getByTestId('editor-error')).toContainText('does not exist');
});

test('graphs are listed, renamed, and deleted', async ({ page }) => {
  const path = await createGraph(page, 'To rename');
  const id = path.split('/').pop() as string;
  await page.getByTestId('graph-name').click();
  await page.getByTestId('graph-name-input').fill('Renamed in editor');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('graph-name')).toHaveText('Renamed in editor');

  await page.getByTestId('back-to-list').click();
  const row = page.getByTestId(`graph-row-${id}`);
  await expect(row).toContainText('Renamed in editor');
  await row.getByRole('button', { name: /^Rename/ }).click();
  await page.getByTestId('rename-input').fill('Renamed in list');
  await page.keyboard.press('Enter');
  await expect(row).toContainText('Renamed in list');
  await shot(page, 'graph-list');

  await row.getByRole('button', { name: /^Delete/ }).click();
  await page.getByTestId('confirm-ok').click();
  await expect(row).toHaveCount(0);
});
