import type { Diagnostic } from '@graphwright/shared';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { blockLineage, graphs, graphVersions } from '../db/schema';
import type { GraphStore, GraphSummary, GraphVersionRow, LineageEntry } from './store';

type Db = BetterSQLite3Database<Record<string, unknown>>;

const versionId = (graphId: string, version: number): string => `${graphId}:${version}`;

/** Graphs and their immutable versions in SQLite (graphs, graph_versions, block_lineage). */
export class SqliteGraphStore implements GraphStore {
  constructor(private readonly db: Db) {}

  list(): GraphSummary[] {
    return this.summaries();
  }

  get(id: string): GraphSummary | undefined {
    return this.summaries(id)[0];
  }

  private summaries(id?: string): GraphSummary[] {
    const q = this.db
      .select({
        id: graphs.id,
        name: graphs.name,
        createdAt: graphs.createdAt,
        updatedAt: graphs.updatedAt,
        latestVersion: graphs.latestVersion,
        versionCount: sql<number>`(select count(*) from graph_versions v where v.graph_id = ${graphs.id})`,
      })
      .from(graphs);
    return (id === undefined ? q : q.where(eq(graphs.id, id))).orderBy(desc(graphs.updatedAt)).all();
  }

  version(id: string, version?: number): GraphVersionRow | undefined {
    const n =
      version ?? this.db.select({ v: graphs.latestVersion }).from(graphs).where(eq(graphs.id, id)).get()?.v;
    if (n === undefined) return undefined;
    const row = this.db
      .select()
      .from(graphVersions)
      .where(and(eq(graphVersions.graphId, id), eq(graphVersions.version, n)))
      .get();
    if (!row) return undefined;
    const doc = row.document;
    return {
      graphId: row.graphId,
      version: row.version,
      hash: row.contentHash,
      doc,
      diagnostics: (row.diagnostics ?? []) as Diagnostic[],
      createdAt: row.createdAt,
      blockCount: blockCountOf(doc),
    };
  }

  versions(id: string): Omit<GraphVersionRow, 'doc' | 'diagnostics'>[] {
    return this.db
      .select({
        graphId: graphVersions.graphId,
        version: graphVersions.version,
        hash: graphVersions.contentHash,
        createdAt: graphVersions.createdAt,
        blockCount: sql<number>`coalesce(json_array_length(${graphVersions.document}, '$.blocks'), 0)`,
      })
      .from(graphVersions)
      .where(eq(graphVersions.graphId, id))
      .orderBy(graphVersions.version)
      .all();
  }

  create(input: {
    id: string;
    name: string;
    version: Omit<GraphVersionRow, 'graphId' | 'version'>;
  }): GraphSummary {
    const at = input.version.createdAt;
    this.db.transaction((tx) => {
      tx.insert(graphs)
        .values({ id: input.id, name: input.name, latestVersion: 1, createdAt: at, updatedAt: at })
        .run();
      tx.insert(graphVersions)
        .values({
          id: versionId(input.id, 1),
          graphId: input.id,
          version: 1,
          contentHash: input.version.hash,
          document: input.version.doc,
          diagnostics: input.version.diagnostics,
          createdAt: at,
        })
        .run();
    });
    return {
      id: input.id,
      name: input.name,
      createdAt: at,
      updatedAt: at,
      latestVersion: 1,
      versionCount: 1,
    };
  }

  appendVersion(
    id: string,
    version: Omit<GraphVersionRow, 'graphId' | 'version'>,
    lineage: readonly LineageEntry[],
  ): number {
    return this.db.transaction((tx) => {
      const latest = tx.select({ v: graphs.latestVersion }).from(graphs).where(eq(graphs.id, id)).get();
      if (!latest) throw new Error(`no graph ${id}`);
      const n = latest.v + 1;
      tx.insert(graphVersions)
        .values({
          id: versionId(id, n),
          graphId: id,
          version: n,
          contentHash: version.hash,
          document: version.doc,
          diagnostics: version.diagnostics,
          createdAt: version.createdAt,
        })
        .run();
      tx.update(graphs)
        .set({ latestVersion: n, updatedAt: version.createdAt })
        .where(eq(graphs.id, id))
        .run();
      for (const l of lineage) {
        tx.insert(blockLineage)
          .values({
            graphId: id,
            blockId: l.blockId,
            version: l.toVersion,
            blockName: l.blockName,
            blockType: l.blockType,
            previousVersion: l.fromVersion,
            previousName: l.fromName,
            previousType: l.fromType,
            graphVersionId: versionId(id, n),
            createdAt: version.createdAt,
          })
          .onConflictDoNothing()
          .run();
      }
      return n;
    });
  }

  rename(id: string, name: string): boolean {
    return (
      this.db.update(graphs).set({ name, updatedAt: Date.now() }).where(eq(graphs.id, id)).run().changes > 0
    );
  }

  delete(id: string): boolean {
    return this.db.delete(graphs).where(eq(graphs.id, id)).run().changes > 0;
  }
}

function blockCountOf(doc: unknown): number {
  const blocks = (doc as { blocks?: unknown } | null)?.blocks;
  return Array.isArray(blocks) ? blocks.length : 0;
}
