import { describe, expect, it } from 'vitest';
import {
  compile,
  executeRun,
  type GraphDocument,
  type LlmRequest,
  type LlmResponse,
  type RunEvent,
  TOKEN_SLICE_MS,
} from '../src/index';
import { virtualClock } from './virtual-clock';

const doc = {
  schemaVersion: 1,
  name: 'stream',
  blocks: [
    { id: 'input', name: 'in', type: 'input' },
    {
      id: 'write',
      name: 'write',
      type: 'llm',
      provider: 'p',
      model: 'm',
      messages: [{ role: 'user', content: 'go' }],
    },
    { id: 'output', name: 'out', type: 'output' },
  ],
  transitions: [
    { id: 't1', from: 'input', to: 'write' },
    { id: 't2', from: 'write', to: 'output' },
  ],
} as GraphDocument;

const words = Array.from({ length: 40 }, (_, i) => `w${i} `);

describe('streamed tokens', () => {
  it('reach the event stream in slices: the first at once, then one per window, all before the attempt ends', async () => {
    const clock = virtualClock();
    const events: RunEvent[] = [];
    const llm = async (r: LlmRequest): Promise<LlmResponse> => {
      // One token every 10 ms for 400 ms.
      for (const w of words) {
        r.onToken?.(w);
        await clock.sleep(10);
      }
      return {
        status: 'ok',
        retryable: false,
        provider: r.provider,
        model: r.model,
        text: words.join(''),
        tokensIn: 1,
        tokensOut: words.length,
        costUsd: 0,
        latencyMs: 400,
      };
    };
    const done = executeRun(
      compile(doc),
      { runId: 'r', input: {} },
      { llm, now: clock.now, sleep: clock.sleep, sink: (e) => events.push(e) },
    );
    for (let i = 0; i < 60; i++) await clock.advance(10);
    const result = await done;
    expect(result.status).toBe('finished');

    const deltas = events.filter((e) => e.type === 'token_delta');
    // The first token is not held back: time to first token stays visible.
    expect(deltas[0]).toMatchObject({ text: 'w0 ', at: 0 });
    // 40 tokens over 400 ms become about one event per window, not 40.
    expect(deltas.length).toBeGreaterThanOrEqual(400 / TOKEN_SLICE_MS);
    expect(deltas.length).toBeLessThanOrEqual(400 / TOKEN_SLICE_MS + 2);
    // No text is lost or reordered, and none arrives after the attempt's record.
    expect(deltas.map((d) => (d.type === 'token_delta' ? d.text : '')).join('')).toBe(words.join(''));
    const finished = events.find((e) => e.type === 'attempt_finished');
    expect(finished).toBeDefined();
    for (const d of deltas) expect(d.seq).toBeLessThan(finished?.seq ?? -1);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  });
});
