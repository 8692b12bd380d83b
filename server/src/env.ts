import { resolve } from 'node:path';
import { z } from 'zod';

/** Server configuration from the environment, checked at startup with messages that say what to fix. */
const envSchema = z.object({
  GW_PORT: z.coerce.number().int().min(0).max(65_535).default(4317),
  GW_HOST: z.string().min(1).default('127.0.0.1'),
  GW_DATA_DIR: z.string().min(1).default('data'),
  /** Required when GW_HOST is not a loopback address: every API call must carry it. */
  GW_ACCESS_TOKEN: z.string().min(16, 'GW_ACCESS_TOKEN must be at least 16 characters').optional(),
  GW_PROVIDERS_FILE: z.string().optional(),
  GW_MAX_CONCURRENT_RUNS: z.coerce.number().int().min(1).max(10_000).default(64),
  GW_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GW_WEB_DIR: z.string().optional(),
});

export type Env = z.infer<typeof envSchema> & { dataDir: string; webDir: string; isLoopback: boolean };

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export class EnvError extends Error {}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const isLoopback = isLoopbackHost(e.GW_HOST);
  if (!isLoopback && !e.GW_ACCESS_TOKEN) {
    throw new EnvError(
      `GW_HOST=${e.GW_HOST} exposes the server beyond this machine: set GW_ACCESS_TOKEN (16+ characters) so that every request must carry it, or bind to 127.0.0.1.`,
    );
  }
  const root = resolve(import.meta.dirname, '../..');
  return {
    ...e,
    isLoopback,
    dataDir: resolve(root, e.GW_DATA_DIR),
    webDir: resolve(root, e.GW_WEB_DIR ?? 'web/dist'),
  };
}
