import { expect, test } from '@playwright/test';
import {
  block,
  blocks,
  clickEmptyCanvas,
  connect,
  createGraph,
  dragFromPalette,
  edges,
  mod,
  selectBlock,
  shot,
} from './editor-helpers';

test('builds a 4-block graph from the palette by drag and connect, saves it, and finds it intact after a reload', async ({
  page,
}) => {
  const path = await createGraph(page, 'Four blocks');
  // Start from an empty canvas: select everything and delete it.
  await clickEmptyCanvas(page);
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.press('Delete');
  await expect(blocks(page)).toHaveCount(0);

  await dragFromPalette(page, 'input', { x: 140, y: 90 });
  await dragFromPalette(page, 'llm', { x: 480, y: 90 });
  await dragFromPalette(page, 'transform', { x: 480, y: 300 });
  await dragFromPalette(page, 'output', { x: 140, y: 300 });
  await expect(blocks(page)).toHaveCount(4);
  for (const id of ['input', 'llm', 'transform', 'output']) await expect(block(page, id)).toBeVisible();
  await expect(page.getByTestId('block-model-llm')).toContainText('sim');

  await connect(page, 'input', 'llm');
  await connect(page, 'llm', 'transform');
  await connect(page, 'transform', 'output');
  await expect(edges(page)).toHaveCount(3);

  // Write the prompt with {{variable}} completion: the input's field and nothing downstream is offered.
  await selectBlock(page, 'llm');
  const prompt = page.getByTestId('llm-message-0-content');
  await prompt.click();
  await prompt.pressSequentially('Summarise {{');
  const suggestions = page.getByTestId('template-suggestions');
  await expect(suggestions).toBeVisible();
  await expect(suggestions.getByRole('option')).toHaveText([/input\.text/]);
  await page.keyboard.press('Enter');
  await expect(prompt).toHaveValue('Summarise {{input.text}}');

  // The transform reads the LLM's output.
  await selectBlock(page, 'transform');
  await page.getByTestId('transform-expr').fill('out.llm');
  await expect(page.getByTestId('problems-summary')).toHaveText('No problems');
  await shot(page, 'four-blocks-built');

  await page.keyboard.press(`${mod}+S`);
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v2/);
  await expect(page.getByTestId('toasts')).toContainText('Saved version 2');

  await page.reload();
  await expect(page).toHaveURL(path);
  await expect(blocks(page)).toHaveCount(4);
  await expect(edges(page)).toHaveCount(3);
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v2/);
  await selectBlock(page, 'llm');
  await expect(page.getByTestId('llm-message-0-content')).toHaveValue('Summarise {{input.text}}');
  await selectBlock(page, 'transform');
  await expect(page.getByTestId('transform-expr')).toHaveValue('out.llm');
  await shot(page, 'four-blocks-reloaded');
});

test('a validation badge appears on a problem and goes away when it is fixed', async ({ page }) => {
  await createGraph(page, 'Validation');
  await expect(page.getByTestId('problems-summary')).toHaveText('No problems');

  // An unconnected block can never run: a warning badge on it and in the problems list.
  await dragFromPalette(page, 'transform', { x: 450, y: 430 });
  await expect(page.getByTestId('diag-badge-transform')).toBeVisible();
  await expect(page.getByTestId('problems-summary')).toHaveText('1 warning');
  await shot(page, 'validation-unreachable');

  // Clicking the problem selects the block.
  await clickEmptyCanvas(page);
  await page.getByTestId('problem-item').first().click();
  await expect(page.getByTestId('block-form')).toBeVisible();
  await expect(page.getByTestId('block-id')).toHaveValue('transform');

  await page.getByRole('button', { name: 'Fit View' }).click();
  await connect(page, 'input', 'transform');
  await expect(page.getByTestId('diag-badge-transform')).toHaveCount(0);
  await expect(page.getByTestId('problems-summary')).toHaveText('No problems');

  // A broken CEL expression: an inline error in the editor and an error badge on the block.
  await selectBlock(page, 'transform');
  const expr = page.getByTestId('transform-expr');
  await expr.fill('input.text +');
  await expect(page.getByTestId('transform-expr-error')).toBeVisible();
  await expect(page.getByTestId('diag-badge-transform')).toHaveClass(/diag-error/);
  await expect(page.getByTestId('problems-summary')).toHaveText('1 error');
  await shot(page, 'validation-cel-error');

  await expr.fill('input.text + "!"');
  await expect(page.getByTestId('transform-expr-error')).toHaveCount(0);
  await expect(page.getByTestId('diag-badge-transform')).toHaveCount(0);
  await expect(page.getByTestId('problems-summary')).toHaveText('No problems');
});

test('undo and redo every kind of edit, from the keyboard and the toolbar', async ({ page }) => {
  await createGraph(page, 'Undo');
  await expect(blocks(page)).toHaveCount(2);

  await dragFromPalette(page, 'llm', { x: 300, y: 380 });
  await expect(blocks(page)).toHaveCount(3);
  await connect(page, 'input', 'llm');
  await expect(edges(page)).toHaveCount(2);

  // Rename in the inspector (typing merges into one step).
  await selectBlock(page, 'llm');
  await page.getByTestId('block-name').fill('Writer');
  await expect(page.getByTestId('block-name-llm')).toHaveText('Writer');

  await clickEmptyCanvas(page);
  await page.keyboard.press(`${mod}+Z`);
  await expect(page.getByTestId('block-name-llm')).toHaveText('LLM');
  await page.keyboard.press(`${mod}+Z`);
  await expect(edges(page)).toHaveCount(1);
  await page.getByTestId('undo').click();
  await expect(blocks(page)).toHaveCount(2);
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v1/);

  await page.keyboard.press(`${mod}+Shift+Z`);
  await expect(blocks(page)).toHaveCount(3);
  await page.getByTestId('redo').click();
  await expect(edges(page)).toHaveCount(2);
  await page.keyboard.press(`${mod}+Y`);
  await expect(page.getByTestId('block-name-llm')).toHaveText('Writer');
  await expect(page.getByTestId('redo')).toBeDisabled();

  // Moving a block is one undo step.
  const before = await block(page, 'output').boundingBox();
  await page.getByTestId('block-name-output').hover();
  await page.mouse.down();
  await page.mouse.move((before?.x ?? 0) + 60, (before?.y ?? 0) + 200, { steps: 8 });
  await page.mouse.up();
  const moved = await block(page, 'output').boundingBox();
  expect(Math.abs((moved?.y ?? 0) - (before?.y ?? 0))).toBeGreaterThan(50);
  await page.keyboard.press(`${mod}+Z`);
  await expect
    .poll(async () => Math.round((await block(page, 'output').boundingBox())?.y ?? 0))
    .toBe(Math.round(before?.y ?? 0));

  // Delete is undoable, together with its transitions.
  await selectBlock(page, 'llm');
  await page.keyboard.press('Delete');
  await expect(blocks(page)).toHaveCount(2);
  await expect(edges(page)).toHaveCount(1);
  await page.keyboard.press(`${mod}+Z`);
  await expect(blocks(page)).toHaveCount(3);
  await expect(edges(page)).toHaveCount(2);
  await shot(page, 'undo-redo');
});

test('copy, paste and duplicate blocks as JSON through the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await createGraph(page, 'Clipboard');
  await dragFromPalette(page, 'transform', { x: 300, y: 360 });
  await connect(page, 'input', 'transform');
  await expect(edges(page)).toHaveCount(2);

  await selectBlock(page, 'transform');
  await page.getByTestId('copy').click();
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(JSON.parse(text)).toMatchObject({
    kind: 'graphwright/blocks',
    blocks: [{ id: 'transform', type: 'transform' }],
  });
  await page.getByTestId('paste').click();
  await expect(block(page, 'transform_2')).toBeVisible();

  await page.keyboard.press(`${mod}+D`);
  await expect(block(page, 'transform_3')).toBeVisible();
  await expect(blocks(page)).toHaveCount(5);
  await page.keyboard.press(`${mod}+Z`);
  await expect(blocks(page)).toHaveCount(4);
});

test('box selection on the empty canvas selects several blocks, which delete and undo together', async ({
  page,
}) => {
  await createGraph(page, 'Box select');
  await dragFromPalette(page, 'transform', { x: 300, y: 380 });
  await expect(blocks(page)).toHaveCount(3);
  const pane = page.getByTestId('canvas');
  const box = await pane.boundingBox();
  if (!box) throw new Error('no canvas');
  // Drag a rectangle around everything, starting in an empty corner.
  await page.mouse.move(box.x + 5, box.y + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 5, box.y + box.height - 5, { steps: 10 });
  await page.mouse.up();
  await expect(page.getByTestId('multi-selection')).toContainText('3 blocks');
  await shot(page, 'box-selection');
  await page.getByTestId('delete').click();
  await expect(blocks(page)).toHaveCount(0);
  await page.keyboard.press(`${mod}+Z`);
  await expect(blocks(page)).toHaveCount(3);
  await expect(edges(page)).toHaveCount(1);
});

test('a transition is reconnected by dragging its end onto another block', async ({ page }) => {
  await createGraph(page, 'Reconnect');
  await dragFromPalette(page, 'transform', { x: 450, y: 430 });
  const end = await page.locator('.react-flow__edgeupdater-target').first().boundingBox();
  const handle = await page.getByTestId('handle-in-transform').boundingBox();
  if (!end || !handle) throw new Error('edge end or handle not visible');
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2, { steps: 10 });
  await page.mouse.up();
  await expect(page.locator('[aria-label="Edge from input to transform"]')).toHaveCount(1);
  await expect(page.getByTestId('problems-summary')).toContainText('1 error');
  await page.keyboard.press(`${mod}+Z`);
  await expect(page.locator('[aria-label="Edge from input to output"]')).toHaveCount(1);
});
