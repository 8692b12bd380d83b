/**
 * Starts the fake OpenAI-compatible server for the browser tests on a fixed port (the app server's
 * GW_PROVIDERS points a "fake" provider at it). The model name picks a scenario, e.g.
 * `fail-503-then-ok:<tag>` answers 503 once per tag, then succeeds.
 */
import { startFakeOpenAI } from '../../server/src/dev/fake-openai';

const port = Number(process.env.FAKE_OPENAI_PORT ?? 4398);
const fake = await startFakeOpenAI({ port });
console.log(`fake OpenAI-compatible server on ${fake.url}`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
