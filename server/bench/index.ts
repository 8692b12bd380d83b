/**
 * `pnpm bench` prints a readable table; `pnpm -s bench --json` prints one flat JSON object on stdout.
 * `--smoke` runs every benchmark at tiny sizes (the test command does this to keep them working).
 * Each suite measures our code and its named baseline in the same invocation.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { printTable } from './harness';
import { type SuiteEntry, suites } from './suites';

/** Runs one suite in a fresh process, so that one suite's heap and JIT state never skews another's. */
function runIsolated(name: string): Promise<Record<string, number | string | null>> {
  const args = [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    `--only=${name}`,
    '--json',
    '--in-process',
  ];
  if (smoke) args.push('--smoke');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { maxBuffer: 16 * 1024 * 1024, timeout: 280_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`suite ${name} failed: ${stderr.slice(-2000) || err.message}`));
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
        } catch (e) {
          reject(new Error(`suite ${name} printed no JSON: ${String(e)}`));
        }
      },
    );
  });
}

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const smoke = args.has('--smoke');
const inProcess = args.has('--in-process');
const only = process.argv
  .slice(2)
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length);

async function main(): Promise<void> {
  const results: Record<string, number | string | null> = {};
  const chosen: readonly SuiteEntry[] = only
    ? suites.filter((s) => only.split(',').includes(s.name))
    : suites;
  for (const suite of chosen) {
    const started = performance.now();
    if (!json) process.stderr.write(`running ${suite.name}...\n`);
    const r = inProcess ? await (await suite.load()).run({ smoke }) : await runIsolated(suite.name);
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
