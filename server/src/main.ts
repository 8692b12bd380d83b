import { mkdirSync } from 'node:fs';
import { buildApp } from './app';
import { openDatabase } from './db/open';
import { EnvError, loadEnv } from './env';
import { CompileCache } from './graphs/compile-cache';
import { GraphService } from './graphs/service';
import { SqliteGraphStore } from './graphs/sqlite-store';
import { createLlmService } from './llm/service';

async function start(): Promise<void> {
  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv();
  } catch (e) {
    if (e instanceof EnvError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  mkdirSync(env.dataDir, { recursive: true });
  const compileCache = new CompileCache();
  const database = openDatabase({ dataDir: env.dataDir });
  const graphs = new GraphService(new SqliteGraphStore(database.db), compileCache);
  const llm = createLlmService();
  const app = await buildApp({ env, startedAt: Date.now(), graphs, compileCache, llm });
  const shutdown = async (signal: string): Promise<void> => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await llm.close();
    database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ port: env.GW_PORT, host: env.GW_HOST });
  app.log.info(
    `Graphwright is running at ${address.replace('127.0.0.1', 'localhost')} (data in ${env.dataDir})`,
  );
}

start().catch((e: unknown) => {
  process.stderr.write(`Graphwright could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
