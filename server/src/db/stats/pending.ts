import { type AttemptRecord, type RunEvent, Welford } from '@graphwright/shared';
import type { Statements } from './rows';

/**
 * What the stats store has accepted but not yet committed: attempts to append, and the deltas of
 * per-graph counters (transitions, visits, run totals) that the same transaction folds in. Deltas
 * are merged per key here, so a batch costs one upsert per distinct transition, not per event.
 */

interface TransitionDelta {
  graphId: string;
  scope: string;
  from: string;
  to: string;
  hash: string;
  count: number;
  lastAt: number;
}

interface VisitDelta {
  graphId: string;
  scope: string;
  blockId: string;
  visits: number;
  runs: number;
  finishes: number;
  maxVisit: number;
  lastAt: number;
}

interface GraphRunDelta {
  runs: number;
  finished: number;
  failed: number;
  duration: Welford;
  cost: Welford;
  lastAt: number;
}

const SEP = '\u0001';

export class PendingBatch {
  attempts: AttemptRecord[] = [];
  /** graph id per attempt ('' when unknown), parallel to `attempts`. */
  attemptGraphs: string[] = [];
  readonly transitions = new Map<string, TransitionDelta>();
  readonly visits = new Map<string, VisitDelta>();
  readonly graphRuns = new Map<string, GraphRunDelta>();
  /** Events accepted into this batch (attempts and counter events alike). */
  size = 0;

  addAttempt(r: AttemptRecord, graphId: string): void {
    this.attempts.push(r);
    this.attemptGraphs.push(graphId);
    this.size++;
  }

  /** Folds a non-attempt event into the counters; returns whether it was one the store counts. */
  addEvent(e: RunEvent, graphId: string): boolean {
    switch (e.type) {
      case 'transition_taken': {
        const scope = e.path.join('/');
        const key = graphId + SEP + scope + SEP + e.from + SEP + e.to + SEP + e.conditionHash;
        const d = this.transitions.get(key);
        if (d) {
          d.count++;
          d.lastAt = Math.max(d.lastAt, e.at);
        } else
          this.transitions.set(key, {
            graphId,
            scope,
            from: e.from,
            to: e.to,
            hash: e.conditionHash,
            count: 1,
            lastAt: e.at,
          });
        break;
      }
      case 'block_started': {
        const d = this.visit(graphId, e.path.join('/'), e.blockId, e.at);
        d.visits++;
        if (e.visit === 1) d.runs++;
        d.maxVisit = Math.max(d.maxVisit, e.visit);
        break;
      }
      case 'block_finished':
        this.visit(graphId, e.path.join('/'), e.blockId, e.at).finishes++;
        break;
      case 'run_finished':
      case 'run_failed': {
        let d = this.graphRuns.get(graphId);
        if (!d) {
          d = { runs: 0, finished: 0, failed: 0, duration: new Welford(), cost: new Welford(), lastAt: 0 };
          this.graphRuns.set(graphId, d);
        }
        d.runs++;
        if (e.type === 'run_finished') d.finished++;
        else d.failed++;
        d.duration.add(e.totals.durationMs);
        if (e.totals.costUsd !== null) d.cost.add(e.totals.costUsd);
        d.lastAt = Math.max(d.lastAt, e.at);
        break;
      }
      default:
        return false;
    }
    this.size++;
    return true;
  }

  private visit(graphId: string, scope: string, blockId: string, at: number): VisitDelta {
    const key = graphId + SEP + scope + SEP + blockId;
    let d = this.visits.get(key);
    if (!d) {
      d = { graphId, scope, blockId, visits: 0, runs: 0, finishes: 0, maxVisit: 0, lastAt: at };
      this.visits.set(key, d);
    }
    d.lastAt = Math.max(d.lastAt, at);
    return d;
  }

  /** Writes the counter deltas (call inside the batch's transaction). */
  writeCounters(st: Statements): void {
    for (const t of this.transitions.values())
      st.upsertTransition.run(t.graphId, t.scope, t.from, t.to, t.hash, t.count, t.lastAt);
    for (const v of this.visits.values())
      st.upsertVisit.run(v.graphId, v.scope, v.blockId, v.visits, v.runs, v.finishes, v.maxVisit, v.lastAt);
    for (const [graphId, d] of this.graphRuns) {
      const row = st.selectGraphRuns.get(graphId) as Record<string, number> | undefined;
      const duration = Welford.from(
        row && { n: row.duration_n ?? 0, mean: row.duration_mean ?? 0, m2: row.duration_m2 ?? 0 },
      );
      const cost = Welford.from(
        row && { n: row.cost_n ?? 0, mean: row.cost_mean ?? 0, m2: row.cost_m2 ?? 0 },
      );
      duration.merge(d.duration);
      cost.merge(d.cost);
      st.upsertGraphRuns.run(
        graphId,
        (row?.runs ?? 0) + d.runs,
        (row?.finished ?? 0) + d.finished,
        (row?.failed ?? 0) + d.failed,
        duration.n,
        duration.mean,
        duration.m2,
        cost.n,
        cost.mean,
        cost.m2,
        Math.max(row?.last_at ?? 0, d.lastAt),
      );
    }
  }
}
