import { readFileSync } from 'node:fs';
import type { AppServices } from '../../src/context';
import { loadEnv } from '../../src/env';
import { CompileCache } from '../../src/graphs/compile-cache';
import { MemoryGraphStore } from '../../src/graphs/memory-store';
import { GraphService } from '../../src/graphs/service';
import { appRouter } from '../../src/routers/_app';
import { createCallerFactory } from '../../src/trpc';

export function example(name: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`../../../examples/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
}

export function makeServices(): AppServices {
  const compileCache = new CompileCache(64);
  return {
    env: loadEnv({ GW_LOG_LEVEL: 'silent', GW_DATA_DIR: 'data-test' }),
    startedAt: Date.now(),
    compileCache,
    graphs: new GraphService(new MemoryGraphStore(), compileCache),
  };
}

export function makeCaller(services = makeServices(), authorized = true) {
  return { caller: createCallerFactory(appRouter)({ services, authorized }), services };
}
