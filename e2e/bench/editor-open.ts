/**
 * Measures how long the editor takes to open a graph in headless chromium: from the start of the
 * navigation to the moment every block node is in the page and measured by React Flow (visible).
 * Spawned by `server/bench/editor.bench.ts` (which starts the server and stores the graph), because
 * `@playwright/test` is a dependency of this package only.
 *
 * Usage: tsx e2e/bench/editor-open.ts --url <editor url> --blocks <n> [--rounds 3]
 * Prints one JSON object on stdout: { "medianMs": number, "runsMs": number[] }.
 */
import { chromium } from '@playwright/test';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const url = arg('url');
const blocks = Number(arg('blocks'));
const rounds = Number(arg('rounds') ?? 3);
if (!url || !Number.isInteger(blocks) || blocks < 1) {
  process.stderr.write('usage: editor-open.ts --url <editor url> --blocks <n> [--rounds 3]\n');
  process.exit(2);
}

/**
 * Runs in the page before its scripts: checks, whenever the page's DOM changes (and every 16 ms),
 * whether all block nodes are rendered and measured, and records the time (ms since navigation
 * start) when they first are. Kept as source text: tsx compiles functions with helpers (`__name`)
 * that do not exist in the page, so a function passed to addInitScript would throw there.
 */
function watchForNodes(expected: number): string {
  return `(() => {
  const expected = ${expected};
  let timer;
  let observer;
  const check = () => {
    if (window.__gwAllRenderedMs !== undefined) return;
    const nodes = document.querySelectorAll('.react-flow__node');
    if (nodes.length < expected) return;
    for (const n of nodes) if (n.style.visibility === 'hidden') return;
    window.__gwAllRenderedMs = performance.now();
    if (timer !== undefined) clearInterval(timer);
    if (observer) observer.disconnect();
  };
  timer = setInterval(check, 16);
  observer = new MutationObserver(check);
  const start = () => observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true });
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
})();`;
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
  });
  const runs: number[] = [];
  try {
    // One warm-up load (fills the OS file cache and the server's compile cache), then timed loads,
    // each in a fresh browser context: no HTTP cache, no warm JavaScript heap.
    for (let i = 0; i <= rounds; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript({ content: watchForNodes(blocks) });
      await page.goto(url as string);
      const handle = await page.waitForFunction('window.__gwAllRenderedMs', undefined, {
        timeout: 60_000,
        polling: 50,
      });
      const ms = (await handle.jsonValue()) as number;
      if (i > 0) runs.push(Math.round(ms));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)] as number;
  process.stdout.write(`${JSON.stringify({ medianMs, runsMs: runs })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`editor-open failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
