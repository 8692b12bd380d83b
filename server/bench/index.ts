/**
 * `pnpm bench` prints a readable table; `pnpm -s bench --json` prints one flat JSON object on stdout.
 * `--smoke` runs every benchmark at tiny sizes (the test command does this to keep them working).
 * Each suite measures our code and its named baseline in the same invocation.
 */
import type { BenchSuite } from './harness';
import { printTable } from './harness';
import { suites } from './suites';

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const smoke = args.has('--smoke');
const only = process.argv
  .slice(2)
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length);

async function main(): Promise<void> {
  const results: Record<string, number | string | null> = {};
  const chosen: BenchSuite[] = only ? suites.filter((s) => only.split(',').includes(s.name)) : suites;
  for (const suite of chosen) {
    const started = performance.now();
    if (!json) process.stderr.write(`running ${suite.name}...\n`);
    const r = await suite.run({ smoke });
    Object.assign(results, r);
    if (!json)
      process.stderr.write(
        `  ${suite.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
  }
  if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
  else printTable(results);
}

main().catch((e: unknown) => {
  process.stderr.write(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
