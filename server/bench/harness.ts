export interface BenchOptions {
  /** Tiny sizes, to check that the benchmark still runs (used by the test command). */
  readonly smoke: boolean;
}

export interface BenchSuite {
  readonly name: string;
  run(opts: BenchOptions): Promise<Record<string, number | string | null>>;
}

/** Median of `rounds` timings of fn (ms), after `warmup` untimed runs. */
export async function medianMs(fn: () => unknown, rounds: number, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function printTable(results: Record<string, number | string | null>): void {
  const width = Math.max(...Object.keys(results).map((k) => k.length), 10);
  process.stdout.write(`${'metric'.padEnd(width)}  value\n${'-'.repeat(width)}  ${'-'.repeat(14)}\n`);
  for (const [k, v] of Object.entries(results)) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}
