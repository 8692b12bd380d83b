import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open';
import { tempDir } from './helpers';

const EXPECTED_TABLES = [
  'attempt_batches',
  'attempt_runs',
  'attempt_series',
  'attempts',
  'block_aggregates',
  'block_lineage',
  'checkpoints',
  'graph_run_stats',
  'graph_versions',
  'graphs',
  'run_events',
  'runs',
  'share_links',
  'stats_state',
  'transition_counts',
  'visit_counts',
];

describe('openDatabase', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => {
    for (const c of dirs.splice(0)) c();
  });

  it('creates the data folder and migrates an empty database to the whole schema', () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    expect(existsSync(dir)).toBe(false);
    const d = openDatabase({ dataDir: dir });
    expect(existsSync(d.path)).toBe(true);
    const tables = (
      d.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    )
      .map((r) => r.name)
      .filter((n) => !n.startsWith('sqlite_') && !n.startsWith('__drizzle'));
    expect(tables).toEqual(EXPECTED_TABLES);
    expect(d.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    // 1 = NORMAL (see open.ts for what a crash or power loss can lose).
    expect(d.sqlite.pragma('synchronous', { simple: true })).toBe(1);
    expect(d.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(d.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    d.close();
  });

  it('reopens an existing database without re-running migrations', () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const a = openDatabase({ dataDir: dir });
    a.sqlite.prepare("INSERT INTO graphs (id, name, created_at, updated_at) VALUES ('g', 'G', 1, 1)").run();
    const applied = a.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
    a.close();
    const b = openDatabase({ dataDir: dir });
    expect(b.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual(applied);
    expect(b.sqlite.prepare('SELECT name FROM graphs').get()).toEqual({ name: 'G' });
    b.close();
  });

  it('enforces the schema constraints later features rely on', () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const d = openDatabase({ dataDir: dir });
    const run = (sql: string) => () => d.sqlite.prepare(sql).run();
    // A version needs its graph (foreign keys are on).
    expect(
      run(
        "INSERT INTO graph_versions (id, graph_id, version, content_hash, document, created_at) VALUES ('v', 'nope', 1, 'h', '{}', 1)",
      ),
    ).toThrow(/FOREIGN KEY/);
    run("INSERT INTO graphs (id, name, created_at, updated_at) VALUES ('g', 'G', 1, 1)")();
    run(
      "INSERT INTO graph_versions (id, graph_id, version, content_hash, document, created_at) VALUES ('v1', 'g', 1, 'h', '{}', 1)",
    )();
    // A share link id carries at least 128 bits; it points at exactly what its kind says.
    expect(
      run(
        "INSERT INTO share_links (id, kind, graph_version_id, created_at) VALUES ('short', 'graph_version', 'v1', 1)",
      ),
    ).toThrow(/CHECK/);
    expect(
      run(
        "INSERT INTO share_links (id, kind, created_at) VALUES ('abcdefghijklmnopqrstuv', 'graph_version', 1)",
      ),
    ).toThrow(/CHECK/);
    run(
      "INSERT INTO share_links (id, kind, graph_version_id, created_at) VALUES ('abcdefghijklmnopqrstuv', 'graph_version', 'v1', 1)",
    )();
    run(
      "INSERT INTO runs (id, graph_id, graph_version_id, status, input, options, created_at, updated_at) VALUES ('r', 'g', 'v1', 'running', '{}', '{}', 1, 1)",
    )();
    // A checkpoint holds JSON or bytes, not both and not neither.
    expect(
      run("INSERT INTO checkpoints (id, run_id, step, kind, created_at) VALUES ('c', 'r', 1, 'snapshot', 1)"),
    ).toThrow(/CHECK/);
    run(
      "INSERT INTO checkpoints (id, run_id, step, kind, json, created_at) VALUES ('c', 'r', 1, 'snapshot', '{}', 1)",
    )();
    run("INSERT INTO run_events (run_id, seq, type, at, data) VALUES ('r', 0, 'run_started', 1, '{}')")();
    expect(run("INSERT INTO run_events (run_id, seq, type, at, data) VALUES ('r', 0, 'x', 1, '{}')")).toThrow(
      /UNIQUE|PRIMARY/,
    );
    // Deleting a graph takes its versions, runs, events, checkpoints and links with it.
    run("DELETE FROM graphs WHERE id = 'g'")();
    for (const t of ['graph_versions', 'runs', 'run_events', 'checkpoints', 'share_links'])
      expect(d.sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
    d.close();
  });
});
