import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppServices } from '../../src/context';
import { openDatabase } from '../../src/db/open';
import { loadEnv } from '../../src/env';
import { CompileCache } from '../../src/graphs/compile-cache';
import { GraphService } from '../../src/graphs/service';
import { SqliteGraphStore } from '../../src/graphs/sqlite-store';
import { createLlmService } from '../../src/llm/service';
import { appRouter } from '../../src/routers/_app';
import { createCallerFactory } from '../../src/trpc';

export function example(name: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`../../../examples/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
}

/** Services on a fresh temporary SQLite file, as the server builds them. */
export function makeServices(): AppServices & { database: ReturnType<typeof openDatabase> } {
  const compileCache = new CompileCache(64);
  const database = openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'gw-test-')) });
  return {
    env: loadEnv({ GW_LOG_LEVEL: 'silent', GW_DATA_DIR: 'data-test' }),
    startedAt: Date.now(),
    database,
    llm: createLlmService({ env: {}, simulated: { latencyScale: 0, seed: 1 } }),
    compileCache,
    graphs: new GraphService(new SqliteGraphStore(database.db), compileCache),
  };
}

export function makeCaller(services = makeServices(), authorized = true) {
  return { caller: createCallerFactory(appRouter)({ services, authorized }), services };
}
