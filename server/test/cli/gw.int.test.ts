import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const gw = join(root, 'server/src/cli/gw.ts');

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(tsx, [gw, ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('pnpm gw', () => {
  it('validate: 0 for every example, 1 for broken, empty, binary or non-JSON files, 2 for usage, never a stack trace', async () => {
    for (const f of readdirSync(join(root, 'examples')).filter((x) => x.endsWith('.json'))) {
      expect((await run(['validate', `examples/${f}`])).code, f).toBe(0);
    }
    const dir = mkdtempSync(join(tmpdir(), 'gw-cli-'));
    const cases: [string, string | Buffer][] = [
      ['empty.json', ''],
      ['binary.json', Buffer.from([0, 1, 2, 255])],
      ['text.json', 'not json at all'],
      ['broken.json', JSON.stringify({ schemaVersion: 1, name: 'x', blocks: [], transitions: [] })],
    ];
    for (const [name, content] of cases) {
      writeFileSync(join(dir, name), content);
      const r = await run(['validate', join(dir, name)]);
      expect(r.code, name).toBe(1);
      expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    }
    const json = await run(['validate', '--json', join(dir, 'broken.json')]);
    expect(JSON.parse(json.stdout).diagnostics.map((d: { code: string }) => d.code)).toContain(
      'missing_input',
    );
    expect((await run(['validate'])).code).toBe(2);
    expect((await run(['nope'])).code).toBe(2);
  }, 120_000);

  it('run: every example runs on the simulated provider and prints a JSON summary', async () => {
    const env = {
      GW_DATA_DIR: mkdtempSync(join(tmpdir(), 'gw-cli-data-')),
      GW_SIM_LATENCY_SCALE: '0',
      GW_LOG_LEVEL: 'silent',
    };
    for (const f of readdirSync(join(root, 'examples')).filter((x) => x.endsWith('.json'))) {
      const r = await run(['run', `examples/${f}`, '--provider', 'simulated', '--json'], env);
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
      const summary = JSON.parse(r.stdout);
      expect(summary.status, f).toBe('finished');
      expect(summary.totals.attempts, f).toBeGreaterThan(0);
    }
    const bad = await run(['run', 'examples/single-prompt.json', '--input'], env);
    expect(bad.code).toBe(2);
  }, 180_000);
});
