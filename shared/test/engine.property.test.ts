import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Block,
  compile,
  executeRun,
  type GraphDocument,
  type LlmResponse,
  type RunEvent,
  type Transition,
  validate,
} from '../src/index';

const CODES = new Set([
  'block_failed',
  'max_iterations',
  'max_visits',
  'timeout',
  'deadline',
  'cancelled',
  'budget_exceeded',
  'expression_error',
  'invalid_input',
]);

/** A random layered graph: fan-outs, joins, conditions, an optional loop with an exit. */
const graphArb = fc
  .record({
    layers: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
    kinds: fc.array(fc.constantFrom('llm', 'transform'), { minLength: 12, maxLength: 12 }),
    conds: fc.array(fc.constantFrom('always', 'true', 'false', 'else'), { minLength: 40, maxLength: 40 }),
    routingAll: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    joinAll: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    loop: fc.boolean(),
  })
  .map(({ layers, kinds, conds, routingAll, joinAll, loop }): GraphDocument => {
    const blocks: Block[] = [{ id: 'input', name: 'in', type: 'input' }];
    const transitions: Transition[] = [];
    let prev = ['input'];
    let k = 0;
    let c = 0;
    layers.forEach((width, li) => {
      const layer: string[] = [];
      for (let w = 0; w < width; w++) {
        const id = `b${li}_${w}`;
        const kind = kinds[k % kinds.length];
        const common = {
          id,
          name: id,
          routing: routingAll[k % 12] ? ('all' as const) : ('first' as const),
          join: joinAll[k % 12] ? ('all' as const) : ('any' as const),
        };
        blocks.push(
          kind === 'llm'
            ? ({
                ...common,
                type: 'llm',
                provider: 'p',
                model: 'm',
                messages: [{ role: 'user', content: `go ${id}` }],
              } as Block)
            : ({ ...common, type: 'transform', expr: '{"ok": true}' } as Block),
        );
        layer.push(id);
        k++;
      }
      for (const p of prev) {
        let hasElse = false;
        for (const n of layer) {
          const cond = conds[c++ % conds.length];
          if (cond === 'else' && !hasElse) {
            hasElse = true;
            transitions.push({ id: `${p}_${n}`, from: p, to: n, else: true });
          } else
            transitions.push({
              id: `${p}_${n}`,
              from: p,
              to: n,
              ...(cond === 'true' ? { when: 'true' } : cond === 'false' ? { when: 'false' } : {}),
            });
        }
      }
      prev = layer;
    });
    blocks.push({ id: 'output', name: 'out', type: 'output' });
    for (const p of prev) transitions.push({ id: `${p}_out`, from: p, to: 'output' });
    if (loop && prev[0])
      transitions.push({ id: 'loop', from: prev[0], to: blocks[1]?.id ?? 'output', when: 'false' });
    return { schemaVersion: 1, name: 'random', blocks, transitions, limits: { maxIterations: 200 } };
  });

describe('engine on random graphs', () => {
  it('completes or ends with a typed error, pairs every block start with one end, numbers events contiguously', async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(
        graphArb,
        fc.array(
          fc.constantFrom('ok', 'ok', 'ok', 'rate_limited', 'server_error', 'auth_error', 'invalid_output'),
          { minLength: 1, maxLength: 30 },
        ),
        async (doc, script) => {
          if (validate(doc).some((d) => d.severity === 'error')) return;
          ran++;
          const g = compile(doc);
          let i = 0;
          const events: RunEvent[] = [];
          const result = await executeRun(
            g,
            { runId: 'r', input: {} },
            {
              llm: async (r): Promise<LlmResponse> => {
                const status = script[i++ % script.length] as LlmResponse['status'];
                return {
                  status,
                  retryable: status === 'rate_limited' || status === 'server_error',
                  provider: r.provider,
                  model: r.model,
                  text: 'x',
                  tokensIn: 1,
                  tokensOut: 1,
                  costUsd: 0,
                  latencyMs: 1,
                };
              },
              now: () => 0,
              sleep: async () => {},
              sink: (e) => events.push(e),
              freeze: true,
            },
          );
          expect(['finished', 'failed']).toContain(result.status);
          if (result.status === 'failed') expect(CODES.has(result.error?.code ?? '')).toBe(true);
          expect(events.map((e) => e.seq)).toEqual(events.map((_, n) => n));
          const open = new Map<string, number>();
          for (const e of events) {
            if (!('blockId' in e) || e.type === 'run_interrupted') continue;
            const d =
              e.type === 'block_started'
                ? 1
                : e.type === 'block_finished' || e.type === 'block_failed' || e.type === 'block_skipped'
                  ? -1
                  : 0;
            open.set(e.blockId, (open.get(e.blockId) ?? 0) + d);
          }
          for (const [id, n] of open) expect(n, id).toBe(0);
          expect(events.at(-1)?.type).toBe(result.status === 'finished' ? 'run_finished' : 'run_failed');
        },
      ),
      { numRuns: 300, seed: 1122 },
    );
    expect(ran).toBeGreaterThan(50);
  });
});
