import type { AppServices } from './context';
import { createStatsStore, type StatsStore } from './db';
import { type Database, openDatabase } from './db/open';
import type { Env } from './env';
import { CompileCache } from './graphs/compile-cache';
import { GraphService } from './graphs/service';
import { SqliteGraphStore } from './graphs/sqlite-store';
import { createLlmService, type LlmService, type LlmServiceOptions } from './llm/service';
import { createEngineRunner } from './runs/engine-runner';
import { SqliteEventLog } from './runs/event-log';
import { RunHub } from './runs/hub';
import { RunManager } from './runs/manager';
import { RunStore } from './runs/run-store';
import { ShareService } from './share/service';

export interface Services extends AppServices {
  readonly database: Database;
  readonly stats: StatsStore;
  readonly events: SqliteEventLog;
  close(): Promise<void>;
}

/** Builds every long-lived part of the server once: database, caches, LLM clients, run manager. */
export function createServices(
  env: Env,
  opts: { llm?: LlmServiceOptions; llmService?: LlmService } = {},
): Services {
  const database = openDatabase({ dataDir: env.dataDir });
  const compileCache = new CompileCache();
  const stats = createStatsStore(database);
  const llm =
    opts.llmService ??
    createLlmService({ ...opts.llm, estimates: opts.llm?.estimates ?? stats.modelEstimates });
  const graphs = new GraphService(new SqliteGraphStore(database.db), compileCache);
  let manager: RunManager | undefined;
  const events = new SqliteEventLog(database.sqlite, {
    // Run rows follow their terminal events in the same transaction (one commit per batch, not per run).
    inTransaction: (batch) => manager?.storeRunEnds(batch),
    onFlushed: (batch) => manager?.onEventsStored(batch),
  });
  const runStore = new RunStore(database.sqlite);
  runStore.batchCreatesWith((write) => events.before(write));
  manager = new RunManager({
    graphs,
    runs: runStore,
    events,
    hub: new RunHub(),
    engine: createEngineRunner(events),
    llm: llm.call,
    statsSink: (e, graphId) => stats.record(e, graphId),
    maxConcurrentRuns: env.GW_MAX_CONCURRENT_RUNS,
  });
  const runs = manager;
  return {
    env,
    startedAt: Date.now(),
    database,
    compileCache,
    graphs,
    llm,
    stats,
    events,
    runs,
    shares: new ShareService(database.sqlite),
    async close() {
      await runs.shutdown();
      events.close();
      stats.close();
      await llm.close();
      database.close();
    },
  };
}
