import type { Env } from './env';
import type { CompileCache } from './graphs/compile-cache';
import type { GraphService } from './graphs/service';
import type { LlmService } from './llm/service';

/** Per-request context: the app's services plus whether this request may use protected procedures. */
export interface AppServices {
  readonly env: Env;
  readonly startedAt: number;
  readonly graphs: GraphService;
  readonly compileCache: CompileCache;
  readonly llm: LlmService;
}

export interface AppContext {
  readonly services: AppServices;
  readonly authorized: boolean;
}
