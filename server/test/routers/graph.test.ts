import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as schema from '../../src/db/schema';
import { example, makeCaller, makeServices } from './helpers';

describe('graph router', () => {
  it('creates a graph with a runnable default document and lists it', async () => {
    const { caller } = makeCaller();
    const created = await caller.graph.create({ name: 'My first graph' });
    expect(created.version).toBe(1);
    expect(created.diagnostics).toEqual([]);
    const list = await caller.graph.list();
    expect(list.map((g) => g.name)).toEqual(['My first graph']);
    const got = await caller.graph.get({ id: created.id });
    expect(got.version).toBe(1);
    expect(got.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('creates a version per changed save, and nothing for an unchanged one', async () => {
    const { caller } = makeCaller();
    const { id } = await caller.graph.import({ doc: example('single-prompt') });
    const same = await caller.graph.save({ id, doc: example('single-prompt') });
    expect(same).toMatchObject({ version: 1, created: false });
    const edited = example('single-prompt') as { blocks: { id: string; system?: string }[] };
    const answer = edited.blocks.find((b) => b.id === 'answer');
    if (answer) answer.system = 'Answer like a pirate.';
    const saved = await caller.graph.save({ id, doc: edited });
    expect(saved).toMatchObject({ version: 2, created: true });
    const versions = await caller.graph.versions({ id });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const v1 = await caller.graph.get({ id, version: 1 });
    expect(JSON.stringify(v1.doc)).not.toContain('pirate');
    expect(JSON.stringify((await caller.graph.export({ id })) as object)).toContain('pirate');
  });

  it('stores a broken document as a draft and returns its diagnostics instead of failing', async () => {
    const { caller } = makeCaller();
    const { id } = await caller.graph.create({ name: 'Draft' });
    const r = await caller.graph.save({
      id,
      doc: { schemaVersion: 1, name: 'Draft', blocks: [], transitions: [] },
    });
    expect(r.created).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toContain('missing_input');
    expect(r.hash.startsWith('draft:')).toBe(true);
  });

  it('refuses a document that is not an object with BAD_REQUEST and a hint, and keeps the graph', async () => {
    const { caller } = makeCaller();
    const { id } = await caller.graph.create({ name: 'Kept' });
    for (const doc of [null, [], 'text', 7]) {
      await expect(caller.graph.save({ id, doc })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('must be a JSON object'),
      });
      await expect(caller.graph.import({ doc })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect((await caller.graph.versions({ id })).length).toBe(1);
  });

  it('records block lineage when a block version changes', async () => {
    const { caller, services } = makeCaller();
    const { id } = await caller.graph.import({ doc: example('single-prompt') });
    const edited = example('single-prompt') as { blocks: { id: string; temperature?: number }[] };
    const answer = edited.blocks.find((b) => b.id === 'answer');
    if (answer) answer.temperature = 0.9;
    await caller.graph.save({ id, doc: edited });
    const rows = services.database.db
      .select()
      .from(schema.blockLineage)
      .where(eq(schema.blockLineage.graphId, id))
      .all();
    const changed = rows.filter((l) => l.previousVersion !== null);
    expect(changed.map((l) => l.blockId)).toEqual(['answer']);
    expect(changed[0]?.previousVersion).toMatch(/^[0-9a-f]{16}$/);
  });

  it('answers NOT_FOUND with a readable message for unknown graphs', async () => {
    const { caller } = makeCaller();
    await expect(caller.graph.get({ id: 'g_nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.graph.save({ id: 'g_nope', doc: {} })).rejects.toThrow(/No graph/);
  });

  it('renames and deletes', async () => {
    const { caller } = makeCaller();
    const { id } = await caller.graph.create({ name: 'A' });
    await caller.graph.rename({ id, name: 'B' });
    expect((await caller.graph.list())[0]?.name).toBe('B');
    await caller.graph.delete({ id });
    expect(await caller.graph.list()).toEqual([]);
  });

  it('refuses every procedure without the access token when one is required', async () => {
    const { caller } = makeCaller(undefined, false);
    await expect(caller.graph.list()).rejects.toBeInstanceOf(TRPCError);
    await expect(caller.graph.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('compiles a stored version once and serves later runs from the cache', async () => {
    const { caller, services } = makeCaller();
    const { id } = await caller.graph.import({ doc: example('classify-and-route') });
    const before = services.compileCache.stats().validations;
    for (let i = 0; i < 20; i++) services.graphs.compiled(id);
    expect(services.compileCache.stats().validations).toBe(before);
    expect((await caller.debug.compileCache()).hits).toBeGreaterThanOrEqual(20);
  });

  it('compiles a version saved under an older hash text once, not on every run', async () => {
    const { caller, services } = makeCaller();
    const { id } = await caller.graph.import({ doc: example('classify-and-route') });
    // As if saved by an earlier release, whose hash text differed: the stored hash is not today's.
    services.database.db
      .update(schema.graphVersions)
      .set({ contentHash: 'f'.repeat(64) })
      .where(eq(schema.graphVersions.graphId, id))
      .run();
    await services.close();
    const again = makeServices({ GW_DATA_DIR: services.env.GW_DATA_DIR });
    for (let i = 0; i < 20; i++) expect(again.graphs.compiled(id).compiled.blocks.length).toBeGreaterThan(0);
    expect(again.compileCache.stats().validations).toBe(1);
    await again.close();
  });
});
