import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '@graphwright/shared';
import { afterEach } from 'vitest';
import { loadEnv } from '../../src/env';
import { appRouter } from '../../src/routers/_app';
import { createServices, type Services } from '../../src/services';
import { createCallerFactory } from '../../src/trpc';

export function example(name: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`../../../examples/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
}

/** Services on a fresh temporary SQLite file, built exactly as the server builds them. */
export function makeServices(env: Record<string, string> = {}): Services {
  return createServices(
    loadEnv({ GW_LOG_LEVEL: 'silent', GW_DATA_DIR: mkdtempSync(join(tmpdir(), 'gw-test-')), ...env }),
    {
      llm: { env: {}, simulated: { latencyScale: 0, seed: 1 } },
    },
  );
}

export function makeCaller(services = makeServices(), authorized = true) {
  return { caller: createCallerFactory(appRouter)({ services, authorized }), services };
}

/** A `setup()` giving each test a caller on fresh services, closed after the test. */
export function callerPerTest() {
  let current: Services | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    current = makeServices();
    return { ...makeCaller(current), s: current };
  };
}

/** Every stored event of a run, in order, once it has ended. */
export async function collectEvents(s: Services, runId: string): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of s.runs.events(runId, -1)) out.push(e);
  return out;
}
