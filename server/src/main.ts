import { buildApp } from './app';
import { EnvError, loadEnv } from './env';
import { createServices } from './services';

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
  const services = createServices(env);
  const app = await buildApp(services);
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new runs, flushing events and stats');
    await app.close();
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const recovered = services.runs.recover();
  const address = await app.listen({ port: env.GW_PORT, host: env.GW_HOST });
  if (recovered.resumed.length + recovered.failed.length > 0)
    app.log.info(recovered, 'recovered runs that were in flight');
  const providers = services.llm.providers();
  const simulatedOnly = !providers.some((p) => !p.simulated && p.configured);
  app.log.info(
    `Graphwright is running at ${address.replace('127.0.0.1', 'localhost')} (data in ${env.dataDir}${simulatedOnly ? '; no API key set: using the simulated provider' : ''})`,
  );
}

start().catch((e: unknown) => {
  process.stderr.write(`Graphwright could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
