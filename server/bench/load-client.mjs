// Load generator for the server benchmark, in its own thread so the client's HTTP work does not
// share the server's event loop: starts `total` runs at `concurrency` and reports when all answered.
import { parentPort, workerData } from 'node:worker_threads';

const { base, graphId, total, concurrency, rest } = workerData;
let next = 0;
let failed = 0;
async function one() {
  const r = rest
    ? await fetch(`${base}/api/graphs/${graphId}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: { q: 'bench' } }),
      })
    : await fetch(`${base}/trpc/run.start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { graphId, input: { q: 'bench' } } }),
      });
  if (!r.ok) failed++;
  await r.arrayBuffer();
}
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      await one();
    }
  }),
);
parentPort.postMessage({ failed });
