import type { LineageEntry } from '../lineage';
import type { Statements } from './rows';

/** Read helpers of the stats store that are not on the estimate hot path. */

export interface TransitionCount {
  readonly scope: string;
  readonly from: string;
  readonly to: string;
  readonly conditionHash: string;
  readonly count: number;
  readonly lastAt: number;
}

export interface VisitCount {
  readonly scope: string;
  readonly blockId: string;
  readonly visits: number;
  /** Runs in which the block started at least once. */
  readonly runs: number;
  readonly finishes: number;
  readonly maxVisitsInRun: number;
  readonly lastAt: number;
}

export function readTransitionCounts(st: Statements, graphId: string): TransitionCount[] {
  const rows = st.selectTransitions.all(graphId) as {
    scope: string;
    from_block: string;
    to_block: string;
    condition_hash: string;
    count: number;
    last_at: number;
  }[];
  return rows.map((r) => ({
    scope: r.scope,
    from: r.from_block,
    to: r.to_block,
    conditionHash: r.condition_hash,
    count: r.count,
    lastAt: r.last_at,
  }));
}

export function readVisitCounts(st: Statements, graphId: string): VisitCount[] {
  const rows = st.selectVisits.all(graphId) as {
    scope: string;
    block_id: string;
    visits: number;
    runs: number;
    finishes: number;
    max_visits_in_run: number;
    last_at: number;
  }[];
  return rows.map((r) => ({
    scope: r.scope,
    blockId: r.block_id,
    visits: r.visits,
    runs: r.runs,
    finishes: r.finishes,
    maxVisitsInRun: r.max_visits_in_run,
    lastAt: r.last_at,
  }));
}

export interface PreviousIdentity {
  /** Null when the lineage row did not record it: the current block's is used. */
  readonly name: string | null;
  readonly type: string | null;
  readonly version: string;
}

const SEP = '\u0001';
/** Lineage rows never change once written, but a miss may be filled by another writer at any time. */
const MISS_TTL_MS = 1_000;

/** Which version a block version replaced: cached lookups of `block_lineage`. */
export class LineageCache {
  private readonly cache = new Map<string, PreviousIdentity | { missAt: number }>();

  constructor(
    private readonly st: Statements,
    private readonly now: () => number,
    private readonly maxSize: number,
  ) {}

  /** By graph and scoped block id when known; otherwise the newest row for that version anywhere. */
  previous(
    graphId: string | undefined,
    blockId: string | undefined,
    version: string,
  ): PreviousIdentity | undefined {
    const byBlock = graphId !== undefined && blockId !== undefined;
    const key = byBlock ? graphId + SEP + blockId + SEP + version : SEP + version;
    let p = this.cache.get(key);
    if (p !== undefined && 'missAt' in p && this.now() - p.missAt > MISS_TTL_MS) p = undefined;
    if (p === undefined) {
      const row = (
        byBlock
          ? this.st.lineageByBlock.get(graphId, blockId, version)
          : this.st.lineageByVersion.get(version)
      ) as
        | { previous_version: string | null; previous_name: string | null; previous_type: string | null }
        | undefined;
      p = row?.previous_version
        ? { name: row.previous_name, type: row.previous_type, version: row.previous_version }
        : { missAt: this.now() };
      if (this.cache.size >= this.maxSize) this.cache.clear();
      this.cache.set(key, p);
    }
    return 'missAt' in p ? undefined : p;
  }

  record(
    db: { transaction(fn: () => void): () => void },
    graphId: string,
    entries: readonly LineageEntry[],
    graphVersionId?: string,
  ): void {
    const at = this.now();
    db.transaction(() => {
      for (const e of entries)
        this.st.insertLineage.run(
          graphId,
          e.blockId,
          e.version,
          e.name ?? null,
          e.type ?? null,
          e.previousVersion,
          e.previousName ?? null,
          e.previousType ?? null,
          graphVersionId ?? null,
          at,
        );
    })();
    // Small and read lazily: forget it all rather than track which keys changed.
    this.cache.clear();
  }
}
