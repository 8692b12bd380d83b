/**
 * The editor opening the committed 1,000-block graph: measured in headless chromium from the start
 * of the navigation until every block node is rendered and measured (e2e/bench/editor-open.ts does
 * the browser side). The server here is the real one, serving the built web app and the API on one
 * port. Builds the web app first when it is missing; reports a note instead of a figure when no
 * chromium is installed (the browser tests need the same one).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildApp } from '../src/app';
import { loadEnv } from '../src/env';
import { createServices } from '../src/services';
import { generateLargeGraph } from './fixtures/generate-large-graph';
import type { BenchSuite } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function findChromium(): string | undefined {
  const given = process.env.CHROMIUM_PATH;
  if (given) return existsSync(given) ? given : undefined;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

/** Builds web/dist with the workspace's vite when it is not there (the server serves it). */
function ensureWebBuild(): void {
  if (existsSync(join(root, 'web/dist/index.html'))) return;
  // vite's package exports do not include its bin script: find it next to its package.json.
  const vite = join(
    dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')),
    'bin/vite.js',
  );
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

function measure(url: string, blocks: number, rounds: number, chromium: string) {
  // tsx from the workspace root; @playwright/test resolves from e2e/, where it is a dependency.
  const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
  const script = join(root, 'e2e/bench/editor-open.ts');
  const args = [
    '--import',
    tsx,
    script,
    '--url',
    url,
    '--blocks',
    String(blocks),
    '--rounds',
    String(rounds),
  ];
  return new Promise<{ medianMs: number; runsMs: number[] }>((res, rej) => {
    execFile(
      process.execPath,
      args,
      { cwd: join(root, 'e2e'), env: { ...process.env, CHROMIUM_PATH: chromium }, timeout: 240_000 },
      (err, stdout, stderr) => {
        if (err) return rej(new Error(`editor-open failed: ${stderr.slice(-2000) || err.message}`));
        try {
          res(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
        } catch (e) {
          rej(new Error(`editor-open printed no JSON: ${String(e)}`));
        }
      },
    );
  });
}

export const editorSuite: BenchSuite = {
  name: 'editor',
  async run({ smoke }): Promise<Record<string, number | string | null>> {
    const chromium = findChromium();
    if (!chromium)
      return {
        editor_open_1000_blocks_ms: null,
        editor_open_note:
          'chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH, then run again',
      };
    ensureWebBuild();
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-bench-editor-'));
    const env = loadEnv({
      GW_LOG_LEVEL: 'silent',
      GW_DATA_DIR: dataDir,
      GW_WEB_DIR: resolve(root, 'web/dist'),
    });
    const services = createServices(env, { llm: { env: {}, simulated: { latencyScale: 0, seed: 7 } } });
    const app = await buildApp(services);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      // Smoke: a 100-block graph and one timed load, to check the path works in a few seconds.
      const doc = smoke
        ? generateLargeGraph(100)
        : JSON.parse(readFileSync(join(root, 'examples/generated/graph-1000.json'), 'utf8'));
      const blocks = (doc as { blocks: unknown[] }).blocks.length;
      const { id } = services.graphs.create('editor bench', doc);
      const r = await measure(`${base}/graphs/${id}`, blocks, smoke ? 1 : 5, chromium);
      return smoke
        ? { editor_open_100_blocks_smoke_ms: r.medianMs }
        : { editor_open_1000_blocks_ms: r.medianMs, editor_open_1000_blocks_runs_ms: r.runsMs.join(' ') };
    } finally {
      await app.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
