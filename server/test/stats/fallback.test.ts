import { readFileSync } from 'node:fs';
import { compile, type GraphDocument } from '@graphwright/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { lineageEntries } from '../../src/db/lineage';
import { type Database, openDatabase } from '../../src/db/open';
import { createStatsStore } from '../../src/db/stats/store';
import { attempt, tempDir } from './helpers';

const open: { db: Database; cleanup: () => void }[] = [];
function fresh(): Database {
  const { dir, cleanup } = tempDir();
  const db = openDatabase({ dataDir: dir });
  open.push({ db, cleanup });
  return db;
}
afterEach(() => {
  for (const o of open.splice(0)) {
    o.db.close();
    o.cleanup();
  }
});

const example = (name: string): GraphDocument =>
  JSON.parse(readFileSync(new URL(`../../../examples/${name}.json`, import.meta.url), 'utf8'));

describe('estimate fallback along block lineage', () => {
  it('uses the previous version, labelled, until the new one has minSamples', () => {
    const s = createStatsStore(fresh(), { flushIntervalMs: 60_000, minSamples: 20 });
    for (let i = 0; i < 50; i++) s.recordAttempt(attempt({ blockVersion: 'v1', latencyMs: 100 }));
    for (let i = 0; i < 3; i++) s.recordAttempt(attempt({ blockVersion: 'v2', latencyMs: 300 }));
    s.flush();
    s.recordLineage('g', [
      { blockId: 'ask', version: 'v1', previousVersion: null, name: 'Ask', type: 'llm' },
    ]);
    s.recordLineage('g', [
      { blockId: 'ask', version: 'v2', previousVersion: 'v1', name: 'Ask', type: 'llm' },
    ]);
    const v2 = { name: 'Ask', type: 'llm' as const, version: 'v2' };
    const e = s.estimateBlock(v2, { graphId: 'g', blockId: 'ask' });
    expect(e).toMatchObject({ samples: 50, latencyMeanMs: 100, fromPreviousVersion: 'v1' });
    // Without graph context the version's most recent lineage row is used.
    expect(s.estimateBlock(v2)?.fromPreviousVersion).toBe('v1');
    for (let i = 0; i < 17; i++) s.recordAttempt(attempt({ blockVersion: 'v2', latencyMs: 300 }));
    s.flush();
    const now = s.estimateBlock(v2, { graphId: 'g', blockId: 'ask' });
    expect(now).toMatchObject({ samples: 20, latencyMeanMs: 300 });
    expect(now?.fromPreviousVersion).toBeUndefined();
    s.close();
  });

  it('walks back over versions with no history, and follows a rename recorded in the lineage', () => {
    const s = createStatsStore(fresh(), { flushIntervalMs: 60_000, minSamples: 5 });
    for (let i = 0; i < 10; i++)
      s.recordAttempt(attempt({ blockName: 'Old', blockVersion: 'v1', latencyMs: 42 }));
    s.flush();
    s.recordLineage('g', [
      { blockId: 'ask', version: 'v2', previousVersion: 'v1', name: 'New', type: 'llm', previousName: 'Old' },
      { blockId: 'ask', version: 'v3', previousVersion: 'v2', name: 'New', type: 'llm', previousName: 'New' },
    ]);
    const e = s.estimateBlock({ name: 'New', type: 'llm', version: 'v3' }, { graphId: 'g', blockId: 'ask' });
    expect(e).toMatchObject({ samples: 10, latencyMeanMs: 42, fromPreviousVersion: 'v1' });
    // No lineage, no history: nothing to show.
    expect(
      s.estimateBlock({ name: 'New', type: 'llm', version: 'v9' }, { graphId: 'g', blockId: 'ask' }),
    ).toBe(undefined);
    s.close();
  });

  it('shows the version with the most history when none has enough', () => {
    const s = createStatsStore(fresh(), { flushIntervalMs: 60_000, minSamples: 20 });
    for (let i = 0; i < 8; i++) s.recordAttempt(attempt({ blockVersion: 'v1', latencyMs: 10 }));
    for (let i = 0; i < 2; i++) s.recordAttempt(attempt({ blockVersion: 'v2', latencyMs: 20 }));
    s.flush();
    s.recordLineage('g', [{ blockId: 'ask', version: 'v2', previousVersion: 'v1' }]);
    const v2 = { name: 'Ask', type: 'llm' as const, version: 'v2' };
    expect(s.estimateBlock(v2, { graphId: 'g', blockId: 'ask' })).toMatchObject({
      samples: 8,
      fromPreviousVersion: 'v1',
    });
    s.close();
  });

  it('lineageEntries lists changed and new blocks, nested ones with scoped ids', () => {
    const doc = example('composite-refine');
    const before = compile(doc);
    const edited = structuredClone(doc) as GraphDocument & { blocks: { graph?: GraphDocument }[] };
    const inner = edited.blocks[1]?.graph?.blocks[1] as { model: string };
    inner.model = 'sim-smart-2';
    const after = compile(edited);
    const entries = lineageEntries(before, after);
    const ids = entries.map((e) => e.blockId).sort();
    // The inner draft changed, so did the composite holding it (its version hashes its child).
    expect(ids).toEqual(['refine', 'refine/draft']);
    const draft = entries.find((e) => e.blockId === 'refine/draft');
    const oldDraft = before.blocks[1]?.type === 'composite' ? before.blocks[1].child.blocks[1] : undefined;
    expect(draft?.previousVersion).toBe(oldDraft?.version);
    expect(lineageEntries(undefined, before).every((e) => e.previousVersion === null)).toBe(true);
  });
});

describe('lineage written by another writer', () => {
  it('is seen within a second even after a miss was cached', () => {
    const db = fresh();
    let now = 1_000_000;
    const s = createStatsStore(db, { flushIntervalMs: 60_000, minSamples: 5, now: () => now });
    for (let i = 0; i < 10; i++) s.recordAttempt(attempt({ blockVersion: 'v1' }));
    s.flush();
    const v2 = { name: 'Ask', type: 'llm' as const, version: 'v2' };
    expect(s.estimateBlock(v2, { graphId: 'g', blockId: 'ask' })).toBeUndefined();
    // The graph store saves a version: its own transaction writes the lineage row.
    db.sqlite
      .prepare(
        "INSERT INTO block_lineage (graph_id, block_id, version, previous_version, created_at) VALUES ('g', 'ask', 'v2', 'v1', 1)",
      )
      .run();
    now += 1_001;
    expect(s.estimateBlock(v2, { graphId: 'g', blockId: 'ask' })?.fromPreviousVersion).toBe('v1');
    s.close();
  });
});
