import type { StatsStore } from './db';
import type { Env } from './env';
import type { CompileCache } from './graphs/compile-cache';
import type { GraphService } from './graphs/service';
import type { LlmService } from './llm/service';
import type { SqliteEventLog } from './runs/event-log';
import type { RunManager } from './runs/manager';
import type { ShareService } from './share/service';

/** Per-request context: the app's services plus whether this request may use protected procedures. */
export interface AppServices {
  readonly env: Env;
  readonly startedAt: number;
  readonly graphs: GraphService;
  readonly compileCache: CompileCache;
  readonly llm: LlmService;
  readonly runs: RunManager;
  readonly stats: StatsStore;
  readonly shares: ShareService;
  readonly events: SqliteEventLog;
}

export interface AppContext {
  readonly services: AppServices;
  readonly authorized: boolean;
}
