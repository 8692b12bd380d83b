import type { Diagnostic } from '@graphwright/shared';

/** One stored, immutable version of a graph document. */
export interface GraphVersionRow {
  readonly graphId: string;
  readonly version: number;
  readonly hash: string;
  readonly doc: unknown;
  readonly diagnostics: readonly Diagnostic[];
  readonly createdAt: number;
  readonly blockCount: number;
}

export interface GraphSummary {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly latestVersion: number;
  readonly versionCount: number;
}

/** One block whose version changed between two saved versions of a graph. */
export interface LineageEntry {
  readonly blockId: string;
  readonly blockName: string;
  readonly blockType: string;
  readonly fromVersion: string | null;
  readonly fromName: string | null;
  readonly fromType: string | null;
  readonly toVersion: string;
}

/** Persistence of graphs and their immutable versions (SQLite in the app, the same interface in tests). */
export interface GraphStore {
  list(): GraphSummary[];
  get(id: string): GraphSummary | undefined;
  version(id: string, version?: number): GraphVersionRow | undefined;
  versions(id: string): Omit<GraphVersionRow, 'doc' | 'diagnostics'>[];
  /** Creates a graph with its first version. */
  create(input: {
    id: string;
    name: string;
    version: Omit<GraphVersionRow, 'graphId' | 'version'>;
  }): GraphSummary;
  /** Appends a version; block lineage records, per block id, which version replaced which. */
  appendVersion(
    id: string,
    version: Omit<GraphVersionRow, 'graphId' | 'version'>,
    lineage: readonly LineageEntry[],
  ): number;
  rename(id: string, name: string): boolean;
  delete(id: string): boolean;
}
