import type { Env } from './env';

/** Per-request context: the app's services plus whether this request may use protected procedures. */
export interface AppServices {
  readonly env: Env;
  readonly startedAt: number;
}

export interface AppContext {
  readonly services: AppServices;
  readonly authorized: boolean;
}
