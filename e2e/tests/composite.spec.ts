import { expect, type Page, test } from '@playwright/test';
import { block, blocks } from './editor-helpers';
import { exampleDoc, importGraph, openGraph, trpc } from './run-helpers';

type Doc = {
  name: string;
  blocks: { id: string; name: string; type: string; graph?: Doc }[];
  transitions: { id: string; from: string; to: string; when?: string }[];
};

async function savedDoc(page: Page, id: string): Promise<Doc> {
  const r = await trpc<{ doc: Doc }>(page.request, 'graph.get', { id }, { kind: 'query' });
  return r.doc;
}

/** Blocks by id and transitions by id, as comparable values (positions included). */
function shape(d: Doc) {
  return {
    blocks: [...d.blocks].sort((a, b) => a.id.localeCompare(b.id)),
    transitions: [...d.transitions].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

test('opens a composite to edit its nested graph, and the breadcrumbs lead back with the edit kept', async ({
  page,
  request,
}) => {
  const id = await importGraph(request, { ...exampleDoc('composite-refine.json'), name: 'Composite open' });
  await openGraph(page, id);
  await page.getByTestId('open-composite-refine').click();
  await expect(page.getByTestId('breadcrumbs')).toBeVisible();
  await expect(page.getByTestId('crumb-0')).toHaveText('Composite open');
  await expect(page.getByTestId('crumb-1')).toHaveText('Draft + critique');
  await expect(block(page, 'draft')).toBeVisible();
  await expect(block(page, 'critique')).toBeVisible();
  await expect(block(page, 'refine')).toHaveCount(0);

  await block(page, 'critique').click();
  await page.getByTestId('block-name').fill('Critique harder');
  await expect(page.getByTestId('block-name-critique')).toHaveText('Critique harder');
  await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');

  // Saving from inside saves the whole graph, with the edit in its composite.
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v2/);
  const saved = await savedDoc(page, id);
  expect(saved.blocks.map((b) => b.id)).toEqual(['input', 'refine', 'output']);
  const inner = saved.blocks.find((b) => b.id === 'refine')?.graph?.blocks.find((b) => b.id === 'critique');
  expect(inner?.name).toBe('Critique harder');
  await expect(page.getByTestId('breadcrumbs')).toBeVisible();

  await page.getByTestId('crumb-0').click();
  await expect(page.getByTestId('breadcrumbs')).toHaveCount(0);
  await expect(block(page, 'refine')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v2/);

  // Double-click opens it too; Escape with nothing selected goes back out.
  await block(page, 'refine').dblclick();
  await expect(page.getByTestId('block-name-critique')).toHaveText('Critique harder');
  await page.getByTestId('canvas').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('breadcrumbs')).toHaveCount(0);
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v2/);
});

test('group selection into a composite and ungroup round-trip to the same graph', async ({
  page,
  request,
}) => {
  const original = { ...exampleDoc('parallel-fanout.json'), name: 'Group round trip' } as unknown as Doc;
  const id = await importGraph(request, original as unknown as Record<string, unknown>);
  await openGraph(page, id);
  await expect(blocks(page)).toHaveCount(6);

  await block(page, 'pros').click();
  await block(page, 'cons').click({ modifiers: ['Control'] });
  await block(page, 'facts').click({ modifiers: ['Control'] });
  await page.getByTestId('group').click();
  await expect(blocks(page)).toHaveCount(4);
  await expect(block(page, 'pros')).toHaveCount(0);
  await expect(block(page, 'group')).toBeVisible();
  await expect(page.getByTestId('diag-badge-group')).toHaveCount(0);

  // The group is a real composite: open it, the three blocks are inside.
  await page.getByTestId('open-composite-group').click();
  for (const b of ['pros', 'cons', 'facts']) await expect(block(page, b)).toBeVisible();
  await page.getByTestId('crumb-0').click();

  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v2/);
  const grouped = await savedDoc(page, id);
  expect(grouped.blocks.map((b) => b.id).sort()).toEqual(['group', 'input', 'output', 'write']);

  await block(page, 'group').click();
  await page.getByTestId('ungroup').click();
  await expect(blocks(page)).toHaveCount(6);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-state')).toHaveText(/Saved · v3/);
  expect(shape(await savedDoc(page, id))).toEqual(shape(original));
});
