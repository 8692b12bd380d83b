/**
 * Child process for crash.test.ts: records attempts as fast as it can through the stats store (its
 * own batching and timers) and prints "committed N" whenever the store has committed more: the
 * first N attempts it recorded (tokens_in 0..N−1 from `start`) are in the database. The parent
 * SIGKILLs it at an arbitrary moment. stdout writes to a pipe are synchronous on Linux, so a line
 * the parent reads was written after the commit it reports.
 */
import { openDatabase } from '../../src/db/open';
import { createStatsStore } from '../../src/db/stats/store';
import { attempt } from './helpers';

const [dataDir, startArg] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: crash-child.ts <dataDir> <start>');
const start = Number(startArg ?? 0);
const db = openDatabase({ dataDir });
const store = createStatsStore(db, { batchSize: 300, flushIntervalMs: 2 });
let next = start;
let reported = 0;

function report(): void {
  const written = store.counters().attemptsWritten;
  if (written > reported) {
    reported = written;
    process.stdout.write(`committed ${start + written}\n`);
  }
}

async function main(): Promise<void> {
  for (;;) {
    for (let i = 0; i < 97; i++) {
      store.recordAttempt(
        attempt({
          runId: `crash-${next % 13}`,
          tokensIn: next,
          latencyMs: 50 + (next % 200),
          startedAt: 1_000 + next,
        }),
      );
      next++;
    }
    report();
    await new Promise((r) => setImmediate(r));
    report();
  }
}

void main();
