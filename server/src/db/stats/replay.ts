import type { AggregateSample, AttemptRecord, ResponseStatus } from '@graphwright/shared';
import { STATUS_CODES } from '../schema';
import type { AggregateCache } from './cache';
import type { Statements, StoredAggregate } from './rows';

/**
 * Folding committed attempts back into their aggregates. The aggregates are saved behind the
 * attempts (see `stats_state` in the schema), so after a crash, or a failed commit that left the
 * in-memory aggregates ahead of the database, the attempts after the saved point are folded in
 * again, in id order: the same samples in the same order give the same aggregates (the recency
 * detector depends on order).
 */

const STATUS_BY_CODE: ResponseStatus[] = [];
for (const [status, code] of Object.entries(STATUS_CODES)) STATUS_BY_CODE[code] = status as ResponseStatus;

interface AttemptAfterRow {
  readonly id: number;
  readonly attempt: number;
  readonly status: number;
  readonly startedAt: number;
  readonly latencyMs: number;
  readonly ttftMs: number | null;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costUsd: number | null;
  readonly blockName: string;
  readonly blockType: string;
  readonly blockVersion: string;
  readonly provider: string;
  readonly model: string;
}

/** Where the saved aggregates stand: they count exactly the attempts with id ≤ this. */
export function readAggregatesThrough(st: Statements): number {
  return (st.selectAggregatesThrough.get() as number | undefined) ?? 0;
}

/**
 * Adds every committed attempt with id > `through` to its two aggregates (loading their saved rows
 * first) and marks them in `dirty`; returns the last attempt id folded (`through` when none).
 */
export function foldAttemptsAfter(
  st: Statements,
  aggs: AggregateCache,
  through: number,
  dirty: Set<StoredAggregate>,
): number {
  let last = through;
  for (const row of st.selectAttemptsAfter.iterate(through) as Iterable<AttemptAfterRow>) {
    const sample: AggregateSample &
      Pick<AttemptRecord, 'blockName' | 'blockVersion' | 'provider' | 'model'> & {
        blockType: string;
      } = {
      status: STATUS_BY_CODE[row.status] ?? 'server_error',
      latencyMs: row.latencyMs,
      ttftMs: row.ttftMs ?? undefined,
      tokensIn: row.tokensIn,
      tokensOut: row.tokensOut,
      costUsd: row.costUsd,
      attempt: row.attempt,
      startedAt: row.startedAt,
      blockName: row.blockName,
      blockType: row.blockType,
      blockVersion: row.blockVersion,
      provider: row.provider,
      model: row.model,
    };
    const { all, model } = aggs.slotsFor(sample);
    all.agg.add(sample);
    model.stored.agg.add(sample);
    dirty.add(all);
    dirty.add(model.stored);
    last = row.id;
  }
  return last;
}
