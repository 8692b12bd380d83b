import { expect, type Page, test } from '@playwright/test';
import { blocks } from './editor-helpers';
import { exampleDoc, importGraph, openGraph } from './run-helpers';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function nodeBoxes(page: Page): Promise<Box[]> {
  return page.locator('.react-flow__node').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

function overlapping(boxes: Box[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i] as Box;
      const b = boxes[j] as Box;
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
        out.push([i, j]);
    }
  return out;
}

test('auto-layout leaves no overlapping nodes, and is one undo step', async ({ page, request }) => {
  // Every block piled on one spot: the worst case for a layout.
  const doc = exampleDoc('classify-and-route.json') as { blocks: { position?: unknown }[] };
  const piled = {
    ...doc,
    name: 'Layout pile',
    blocks: doc.blocks.map((b, i) => ({ ...b, position: { x: 100 + i * 7, y: 100 + i * 5 } })),
  };
  const id = await importGraph(request, piled);
  await openGraph(page, id);
  await expect(blocks(page)).toHaveCount(6);
  expect(overlapping(await nodeBoxes(page)).length).toBeGreaterThan(0);

  await page.getByTestId('auto-layout').click();
  await expect.poll(async () => overlapping(await nodeBoxes(page)).length).toBe(0);
  await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');

  await page.getByTestId('undo').click();
  await expect.poll(async () => overlapping(await nodeBoxes(page)).length).toBeGreaterThan(0);
  // Shift+L does the same from the keyboard.
  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Shift+L');
  await expect.poll(async () => overlapping(await nodeBoxes(page)).length).toBe(0);
});

test('the minimap shows every block and "?" lists the shortcuts', async ({ page, request }) => {
  const id = await importGraph(request, { ...exampleDoc('parallel-fanout.json'), name: 'Minimap' });
  await openGraph(page, id);
  // Small graphs start without it (it would cover blocks); the canvas control shows it.
  await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
  await page.getByTestId('minimap-toggle').click();
  await expect(page.locator('.react-flow__minimap .react-flow__minimap-node')).toHaveCount(6);
  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  const help = page.getByTestId('shortcuts-help');
  await expect(help).toBeVisible();
  for (const what of [
    'Delete',
    'Undo',
    'Redo',
    'Copy, cut and paste',
    'Duplicate',
    'Select all',
    'Auto-layout',
    'Save',
  ])
    await expect(help).toContainText(what);
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await page.getByTestId('shortcuts').click();
  await expect(help).toBeVisible();
  await page.getByTestId('shortcuts-close').click();
  await expect(help).toHaveCount(0);
});
