import type { Statements } from './rows';

/**
 * Age-based pruning of attempt rows. Attempts are appended in rowid order and every committed batch
 * records its last rowid and when it was committed (`attempt_batches`), so "older than X" is a rowid
 * prefix: deleted in chunks from the start of the table, with no index on time. An attempt's age
 * is counted from when it was recorded (its end, within a flush interval), not from its start.
 * Aggregates are separate rows and keep their figures; attempts they do not count yet (saved behind,
 * see store.ts) are never pruned.
 */
export interface RetentionOptions {
  readonly maxAgeMs: number;
  /** How often the background pass runs (default hourly). */
  readonly intervalMs?: number;
  /** Rows deleted per transaction; the background pass yields to the event loop between chunks. */
  readonly chunk?: number;
}

export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  pruned = 0;

  constructor(
    private readonly st: Statements,
    private readonly opts: RetentionOptions | undefined,
    private readonly now: () => number,
    private readonly onError: (e: unknown) => void,
    /** The last attempt id that may go (the saved aggregates count every attempt up to it). */
    private readonly prunableThrough: () => number = () => Number.POSITIVE_INFINITY,
  ) {
    if (opts) {
      this.timer = setInterval(() => this.inBackground(), opts.intervalMs ?? 3_600_000);
      this.timer.unref();
    }
  }

  /** Deletes every attempt recorded more than maxAgeMs ago, now; returns how many. */
  prune(maxAgeMs = this.opts?.maxAgeMs): number {
    if (maxAgeMs === undefined) return 0;
    const last = this.boundary(maxAgeMs);
    if (last === undefined) return 0;
    const chunk = this.opts?.chunk ?? 5_000;
    let total = 0;
    for (;;) {
      const n = this.st.pruneChunk.run(last, chunk).changes;
      total += n;
      if (n < chunk) break;
    }
    this.st.pruneBatches.run(last);
    this.pruned += total;
    return total;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private boundary(maxAgeMs: number): number | undefined {
    const last = this.st.lastBatchBefore.get(this.now() - maxAgeMs) as number | null;
    return last === null ? undefined : Math.min(last, this.prunableThrough());
  }

  /** One chunk per event-loop turn, so a large prune never blocks requests for long. */
  private inBackground(): void {
    const o = this.opts;
    if (!o || this.running || this.stopped) return;
    const last = this.boundary(o.maxAgeMs);
    if (last === undefined) return;
    this.running = true;
    const chunk = o.chunk ?? 5_000;
    const step = (): void => {
      try {
        if (this.stopped) {
          this.running = false;
          return;
        }
        const n = this.st.pruneChunk.run(last, chunk).changes;
        this.pruned += n;
        if (n === chunk) {
          setImmediate(step);
          return;
        }
        this.st.pruneBatches.run(last);
        this.running = false;
      } catch (e) {
        this.running = false;
        this.onError(e);
      }
    };
    step();
  }
}
