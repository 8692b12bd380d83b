import type { GraphStore, GraphSummary, GraphVersionRow, LineageEntry } from './store';

interface Entry {
  summary: GraphSummary;
  versions: GraphVersionRow[];
}

/** A GraphStore in memory: for tests of the service and routers that need no database. */
export class MemoryGraphStore implements GraphStore {
  private readonly graphs = new Map<string, Entry>();
  readonly lineage: { graphId: string; blockId: string; fromVersion: string | null; toVersion: string }[] =
    [];

  list(): GraphSummary[] {
    return [...this.graphs.values()].map((e) => e.summary).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(id: string): GraphSummary | undefined {
    return this.graphs.get(id)?.summary;
  }

  version(id: string, version?: number): GraphVersionRow | undefined {
    const e = this.graphs.get(id);
    if (!e) return undefined;
    return version === undefined
      ? e.versions[e.versions.length - 1]
      : e.versions.find((v) => v.version === version);
  }

  versions(id: string): Omit<GraphVersionRow, 'doc' | 'diagnostics'>[] {
    return (this.graphs.get(id)?.versions ?? []).map(({ doc: _d, diagnostics: _g, ...rest }) => rest);
  }

  create(input: {
    id: string;
    name: string;
    version: Omit<GraphVersionRow, 'graphId' | 'version'>;
  }): GraphSummary {
    const summary: GraphSummary = {
      id: input.id,
      name: input.name,
      createdAt: input.version.createdAt,
      updatedAt: input.version.createdAt,
      latestVersion: 1,
      versionCount: 1,
    };
    this.graphs.set(input.id, { summary, versions: [{ ...input.version, graphId: input.id, version: 1 }] });
    return summary;
  }

  appendVersion(
    id: string,
    version: Omit<GraphVersionRow, 'graphId' | 'version'>,
    lineage: readonly LineageEntry[],
  ): number {
    const e = this.graphs.get(id);
    if (!e) throw new Error(`no graph ${id}`);
    const n = e.summary.latestVersion + 1;
    e.versions.push({ ...version, graphId: id, version: n });
    e.summary = {
      ...e.summary,
      latestVersion: n,
      versionCount: e.versions.length,
      updatedAt: version.createdAt,
    };
    for (const l of lineage) this.lineage.push({ graphId: id, ...l });
    return n;
  }

  rename(id: string, name: string): boolean {
    const e = this.graphs.get(id);
    if (!e) return false;
    e.summary = { ...e.summary, name, updatedAt: Date.now() };
    return true;
  }

  delete(id: string): boolean {
    return this.graphs.delete(id);
  }
}
