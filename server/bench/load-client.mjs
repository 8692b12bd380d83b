// Load generator for the server benchmark, in its own thread so the client's HTTP work does not
// share the server's event loop. It keeps `concurrency` runs in flight until `total` have ended:
// through REST, a request answers when its run is stored; through tRPC, run.start answers at once,
// so the client waits for the main thread's word that the run is stored before starting another
// (as the web app does when it follows a run's events).
// It uses undici's request API on a keep-alive pool, as load tools like autocannon do: WHATWG fetch
// costs about 0.5 ms of CPU per call, which on a 2-core machine would be taken from the server.
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

const { base, graphId, total, concurrency, rest } = workerData;
const pool = new Pool(base, { connections: concurrency });
const path = rest ? `/api/graphs/${graphId}/runs` : '/trpc/run.start';
const body = JSON.stringify(rest ? { input: { q: 'bench' } } : { json: { graphId, input: { q: 'bench' } } });

/** Runs stored before their start answered, and waiters for runs not stored yet. */
const stored = new Set();
const waiters = new Map();
parentPort.on('message', (runId) => {
  const w = waiters.get(runId);
  if (w) {
    waiters.delete(runId);
    w();
  } else stored.add(runId);
});
function untilStored(runId) {
  if (stored.delete(runId)) return Promise.resolve();
  return new Promise((resolve) => waiters.set(runId, resolve));
}

let next = 0;
let failed = 0;
async function one() {
  const r = await pool.request({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body,
  });
  if (r.statusCode < 200 || r.statusCode >= 300) {
    failed++;
    await r.body.arrayBuffer();
    return;
  }
  if (rest) {
    await r.body.arrayBuffer();
    return;
  }
  const answer = await r.body.json();
  await untilStored(answer.result.data.json.runId);
}
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      await one();
    }
  }),
);
await pool.close();
parentPort.postMessage({ failed });
