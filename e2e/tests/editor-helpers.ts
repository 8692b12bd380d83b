import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const artifactsDir = resolve(here, '../artifacts/editor');

/** Saves a screenshot under e2e/artifacts/editor/. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: resolve(artifactsDir, `${name}.png`) });
}

export const block = (page: Page, id: string): Locator => page.getByTestId(`block-node-${id}`);
export const blocks = (page: Page): Locator => page.locator('[data-testid^="block-node-"]');
export const edges = (page: Page): Locator => page.locator('.react-flow__edge');

/** Creates a graph from the list page and waits for the editor. */
export async function createGraph(page: Page, name: string): Promise<string> {
  await page.goto('/');
  await page.getByTestId('new-graph-name').fill(name);
  await page.getByTestId('create-graph').click();
  await expect(page.getByTestId('editor')).toBeVisible();
  await expect(page).toHaveURL(/\/graphs\/[^/]+$/);
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v1/);
  return new URL(page.url()).pathname;
}

/** Drags a block type from the palette onto the canvas, at a point relative to the canvas's top-left. */
export async function dragFromPalette(page: Page, type: string, at: { x: number; y: number }): Promise<void> {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: at });
}

async function center(l: Locator): Promise<{ x: number; y: number }> {
  const b = await l.boundingBox();
  if (!b) throw new Error('element is not visible');
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Draws a transition by dragging from one block's output handle to another's input handle. */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  const a = await center(page.getByTestId(`handle-out-${from}`));
  const b = await center(page.getByTestId(`handle-in-${to}`));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

/** Clicks a block's header (selects it without starting a connection). */
export async function selectBlock(page: Page, id: string): Promise<void> {
  await page.getByTestId(`block-name-${id}`).click();
}

/** Clicks an empty spot of the canvas, which clears the selection and leaves focus off text fields. */
export async function clickEmptyCanvas(page: Page): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 12, y: 12 } });
}

export const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
