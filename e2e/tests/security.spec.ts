import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { repoRoot, selectBlock } from './editor-helpers';
import { importGraph, oneCallGraph, openGraph, startRun, status, waitForPhase } from './run-helpers';
import { CANARY_KEY } from './servers';

/** Markup that runs script if anything renders user text as HTML (or follows it as a link). */
const IMG = `<img src=x onerror="window.__trip('img')">`;
const SCRIPT = `<script>window.__trip('script')</script>`;
const LINK = `<a href="javascript:window.__trip('link')">click me</a>`;
const MD_LINK = `[open](javascript:window.__trip('md'))`;
const ALERT = `<svg onload=alert(1)>`;

/** A graph whose names, prompts and (echoed) model outputs carry the payloads. */
function hostileGraph() {
  return {
    schemaVersion: 1,
    name: `Graph ${IMG}`,
    blocks: [
      {
        id: 'input',
        name: `In ${SCRIPT}`,
        type: 'input',
        position: { x: 0, y: 120 },
        fields: [{ name: 'topic', type: 'string', required: true, default: `${IMG} ${LINK}` }],
      },
      {
        id: 'write',
        name: IMG,
        type: 'llm',
        position: { x: 300, y: 120 },
        provider: 'fake',
        model: 'echo',
        messages: [{ role: 'user', content: `${SCRIPT} ${MD_LINK} ${ALERT} {{input.topic}}` }],
      },
      { id: 'output', name: LINK, type: 'output', position: { x: 600, y: 120 } },
    ],
    transitions: [
      { id: 't_in', from: 'input', to: 'write' },
      { id: 't_out', from: 'write', to: 'output' },
    ],
  };
}

const ECHOED = `${SCRIPT} ${MD_LINK} ${ALERT} ${IMG} ${LINK}`;

/** Sets the tripwire before any page script runs, and records every dialog. */
async function armTripwire(context: BrowserContext, page: Page): Promise<string[]> {
  await context.addInitScript(() => {
    const w = window as unknown as { __trip: (why: string) => void; __tripped: string[] };
    w.__tripped = [];
    w.__trip = (why) => w.__tripped.push(why);
  });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return dialogs;
}

async function expectNothingFired(page: Page, dialogs: string[]): Promise<void> {
  // Give a late onerror (a broken image loads asynchronously) time to fire, if it were there.
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __tripped: string[] }).__tripped)).toEqual([]);
  expect(dialogs).toEqual([]);
  await expect(page.locator('img[src="x"], script:not([src]):not([type]), svg[onload]')).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:" i]')).toHaveCount(0);
}

/** Every response body the page receives (streams included once they end), for secrets. */
function recordBodies(page: Page): { bodies: Map<string, string>; done: () => Promise<void> } {
  const bodies = new Map<string, string>();
  const pending: Promise<void>[] = [];
  page.on('response', (res) => {
    pending.push(
      res.body().then(
        (b) => {
          bodies.set(`${bodies.size} ${res.url()}`, b.toString('utf8'));
        },
        () => undefined,
      ),
    );
  });
  const done = async () => {
    await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 3_000))]);
  };
  return { bodies, done };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test('user text renders as text in the editor, the run inspector and the share page', async ({
  page,
  context,
  browser,
}) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  const dialogs = await armTripwire(context, page);
  const id = await importGraph(page.request, hostileGraph());
  await openGraph(page, id);
  await expect(page.getByTestId('graph-name')).toHaveText(`Graph ${IMG}`);
  await expect(page.getByTestId('block-name-write')).toHaveText(IMG);
  await expect(page.getByTestId('block-name-output')).toHaveText(LINK);
  await selectBlock(page, 'write');
  await expect(page.getByTestId('inspector')).toContainText(SCRIPT);

  await startRun(page);
  await waitForPhase(page, 'finished');
  await expect(status(page, 'write')).toHaveAttribute('data-status', 'done');
  await selectBlock(page, 'write');
  await page.getByTestId('inspector-tab-run').click();
  await expect(page.getByTestId('attempt-response')).toHaveText(ECHOED);
  // Outputs show as JSON (quotes escaped), still as text.
  await expect(page.getByTestId('run-outputs')).toContainText('<img src=x onerror=');
  await expect(page.getByTestId('run-outputs')).toContainText(SCRIPT);
  await page.getByText('click me').first().click();
  await expectNothingFired(page, dialogs);

  // The same run, through a share link, in a fresh profile.
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-create-run').click();
  const url = await page.getByTestId('share-link-url').first().inputValue();
  const viewerContext = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const viewer = await viewerContext.newPage();
  const viewerDialogs = await armTripwire(viewerContext, viewer);
  await viewer.goto(url);
  await expect(viewer.getByTestId('share-graph-name')).toHaveText(`Graph ${IMG}`);
  await expect(viewer.getByTestId('block-name-write')).toHaveText(IMG);
  await expect(viewer.getByTestId('run-outputs')).toContainText(SCRIPT);
  await selectBlock(viewer, 'write');
  await expect(viewer.getByTestId('share-block-name')).toHaveText(IMG);
  await expect(viewer.getByTestId('attempt-response')).toHaveText(ECHOED);
  await expectNothingFired(viewer, viewerDialogs);
  await viewerContext.close();
});

test('the provider API key reaches no response of the editor or the share page, nor the built JS', async ({
  page,
  browser,
}) => {
  const editor = recordBodies(page);
  // A leaky upstream: its 401 message repeats the Authorization header, key included.
  const id = await importGraph(
    page.request,
    oneCallGraph('Canary', { provider: 'fake', model: 'auth-echo-key' }),
  );
  await openGraph(page, id);
  await selectBlock(page, 'write');
  await expect(page.getByTestId('inspector')).toContainText('auth-echo-key');
  await startRun(page);
  await waitForPhase(page, 'failed');
  await page.getByTestId('inspector-tab-run').click();
  await expect(page.getByTestId('attempt-card').first()).toBeVisible();
  await page.getByTestId('dock-tab-history').click();
  await expect(page.getByTestId('history-row').first()).toBeVisible();
  await page.getByTestId('dock-tab-run').click();
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-create-run').click();
  const url = await page.getByTestId('share-link-url').first().inputValue();

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  const shared = recordBodies(viewer);
  await viewer.goto(url);
  await expect(status(viewer, 'write')).toHaveAttribute('data-status', 'failed');
  await selectBlock(viewer, 'write');
  // The upstream did echo the key back; what reaches the page has it redacted.
  await expect(viewer.getByTestId('attempt-card').first()).toContainText('[redacted]');

  await page.close();
  await editor.done();
  await shared.done();
  for (const [what, { bodies }] of [
    ['editor', editor],
    ['share page', shared],
  ] as const) {
    expect(bodies.size, `${what}: responses recorded`).toBeGreaterThan(3);
    for (const [url, body] of bodies) expect(body.includes(CANARY_KEY), `${what}: ${url}`).toBe(false);
  }
  // The provider list did reach the editor (so the check looked where a key could leak).
  expect([...editor.bodies.keys()].some((u) => u.includes('provider.'))).toBe(true);
  await viewerContext.close();

  const dist = resolve(repoRoot, 'web/dist');
  const files = filesUnder(dist);
  expect(files.some((f) => f.endsWith('.js'))).toBe(true);
  for (const f of files) expect(readFileSync(f, 'utf8').includes(CANARY_KEY), f).toBe(false);
});
