import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type APIRequestContext, expect, type Locator, type Page } from '@playwright/test';
import { repoRoot } from './editor-helpers';

type Doc = Record<string, unknown>;

/** Calls a tRPC procedure over plain HTTP (superjson with no special values is `{ json }`). */
export async function trpc<T>(
  request: APIRequestContext,
  path: string,
  input: unknown,
  opts: { kind?: 'query' | 'mutation'; baseURL?: string; token?: string } = {},
): Promise<T> {
  const base = opts.baseURL ?? '';
  const headers: Record<string, string> = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};
  const res =
    opts.kind === 'query'
      ? await request.get(
          `${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
          {
            headers,
          },
        )
      : await request.post(`${base}/trpc/${path}`, { data: { json: input }, headers });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

/** Stores a graph document as a new graph; returns its id. */
export async function importGraph(
  request: APIRequestContext,
  doc: Doc,
  opts: { baseURL?: string; token?: string } = {},
): Promise<string> {
  const r = await trpc<{ id: string }>(request, 'graph.import', { doc }, opts);
  return r.id;
}

export function exampleDoc(file: string): Doc {
  return JSON.parse(readFileSync(resolve(repoRoot, 'examples', file), 'utf8')) as Doc;
}

/** The input block the browser tests' graphs start from: one required "topic" field. */
export function topicInput(y: number, extra: Record<string, unknown> = {}) {
  return {
    id: 'input',
    name: 'Topic',
    type: 'input',
    ...extra,
    position: { x: 0, y },
    fields: [{ name: 'topic', type: 'string', required: true, default: 'tea' }],
  };
}

/** input(topic) → one llm block "write" → output. */
export function oneCallGraph(
  name: string,
  llm: { provider: string; model: string; content?: string; recovery?: unknown },
): Doc {
  return {
    schemaVersion: 1,
    name,
    blocks: [
      topicInput(120),
      {
        id: 'write',
        name: 'Write',
        type: 'llm',
        position: { x: 300, y: 120 },
        provider: llm.provider,
        model: llm.model,
        messages: [{ role: 'user', content: llm.content ?? 'Write two sentences about {{input.topic}}.' }],
        ...(llm.recovery ? { recovery: llm.recovery } : {}),
      },
      { id: 'output', name: 'Result', type: 'output', position: { x: 600, y: 120 } },
    ],
    transitions: [
      { id: 't_in', from: 'input', to: 'write' },
      { id: 't_out', from: 'write', to: 'output' },
    ],
  };
}

export async function openGraph(page: Page, id: string): Promise<void> {
  await page.goto(`/graphs/${id}`);
  await expect(page.getByTestId('editor')).toBeVisible();
}

export const status = (page: Page, id: string): Locator => page.getByTestId(`block-node-${id}`);
export const takenEdge = (page: Page, id: string): Locator =>
  page.getByTestId(`rf__edge-${id}`).locator('path.is-taken');

/** Presses Run in the dock and waits for the run to be shown. */
export async function startRun(page: Page): Promise<string> {
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-summary')).toBeVisible();
  await expect(page).toHaveURL(/\?run=r_/);
  return new URL(page.url()).searchParams.get('run') as string;
}

export async function waitForPhase(page: Page, phase: string, timeout = 30_000): Promise<void> {
  await expect(page.getByTestId('run-summary')).toHaveAttribute('data-phase', phase, { timeout });
}
