import { randomBytes } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';

export interface ShareLink {
  readonly id: string;
  readonly kind: 'graph_version' | 'run';
  readonly graphId: string;
  readonly graphVersion: number;
  readonly runId: string | null;
  readonly snapshot: unknown;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

interface Raw {
  id: string;
  kind: 'graph_version' | 'run';
  graph_version_id: string | null;
  run_id: string | null;
  run_graph_version_id: string | null;
  snapshot: string | null;
  created_at: number;
  revoked_at: number | null;
}

export class ShareError extends Error {
  constructor(
    readonly kind: 'not_found' | 'revoked',
    message: string,
  ) {
    super(message);
  }
}

/** 144 random bits, base64url: unguessable share ids. */
export function newShareId(): string {
  return randomBytes(18).toString('base64url');
}

function splitVersionId(id: string): { graphId: string; version: number } {
  const at = id.lastIndexOf(':');
  return { graphId: id.slice(0, at), version: Number(id.slice(at + 1)) };
}

/** Share links point at stored snapshots only: a graph version, or a run with its version. */
export class ShareService {
  private readonly insert: BetterSqlite3.Statement;
  private readonly select: BetterSqlite3.Statement;
  private readonly revokeStmt: BetterSqlite3.Statement;
  private readonly listStmt: BetterSqlite3.Statement;

  constructor(sqlite: BetterSqlite3.Database) {
    this.insert = sqlite.prepare(
      'INSERT INTO share_links (id, kind, graph_version_id, run_id, snapshot, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const base = `SELECT s.*, r.graph_version_id AS run_graph_version_id FROM share_links s LEFT JOIN runs r ON r.id = s.run_id`;
    this.select = sqlite.prepare(`${base} WHERE s.id = ?`);
    this.listStmt = sqlite.prepare(
      `${base} WHERE coalesce(s.graph_version_id, r.graph_version_id) LIKE ? ESCAPE '\\' ORDER BY s.created_at DESC`,
    );
    this.revokeStmt = sqlite.prepare(
      'UPDATE share_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    );
  }

  private toLink(r: Raw): ShareLink {
    const v = splitVersionId(r.graph_version_id ?? r.run_graph_version_id ?? ':0');
    return {
      id: r.id,
      kind: r.kind,
      graphId: v.graphId,
      graphVersion: v.version,
      runId: r.run_id,
      snapshot: r.snapshot === null ? null : JSON.parse(r.snapshot),
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    };
  }

  createForGraph(graphId: string, version: number): ShareLink {
    const id = newShareId();
    this.insert.run(id, 'graph_version', `${graphId}:${version}`, null, null, Date.now());
    return this.mustGet(id);
  }

  createForRun(runId: string, snapshot: unknown): ShareLink {
    const id = newShareId();
    this.insert.run(id, 'run', null, runId, JSON.stringify(snapshot ?? null), Date.now());
    return this.mustGet(id);
  }

  /** An open link; a revoked or unknown one is an error that says so. */
  open(id: string): ShareLink {
    const link = this.get(id);
    if (!link)
      throw new ShareError('not_found', 'This share link does not exist: check that it was copied whole.');
    if (link.revokedAt !== null) throw new ShareError('revoked', 'This share link was revoked by its owner.');
    return link;
  }

  get(id: string): ShareLink | undefined {
    const r = this.select.get(id) as Raw | undefined;
    return r ? this.toLink(r) : undefined;
  }

  private mustGet(id: string): ShareLink {
    const l = this.get(id);
    if (!l) throw new Error('share link vanished');
    return l;
  }

  list(graphId: string): ShareLink[] {
    const pattern = `${graphId.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`;
    return (this.listStmt.all(pattern) as Raw[]).map((r) => this.toLink(r));
  }

  revoke(id: string): boolean {
    return this.revokeStmt.run(Date.now(), id).changes > 0;
  }
}
