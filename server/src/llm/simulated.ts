/**
 * The simulated provider: in-process, no network, so a newcomer can design and run graphs with no
 * key, and tests and benchmarks run without a server. Each model has a seeded log-normal latency
 * (its own random stream, so one model's calls never shift another's), token counts from prompt
 * length, real-looking prices, deterministic text (a function of the prompt) or schema-valid JSON,
 * and a failure rate. Latency can be changed while running, which is how estimate tests show the
 * estimates following a model that got slower.
 */
import type { LlmRequest } from '@graphwright/shared';
import { mulberry32 } from '@graphwright/shared';
import type { ProviderResult } from './openai-call';
import { onAbort } from './signals';
import { fnv1a, generateFromSchema, promptMaterial, type Rand } from './sim-json';
import { estimatePromptTokens, estimateTextTokens } from './tokens';

export interface SimModelSpec {
  readonly id: string;
  readonly displayName: string;
  /** Median time to first token (ms); latency is log-normal around it. */
  readonly medianMs: number;
  /** Spread of the log-normal (sigma of the underlying normal); 0 = always the median. */
  readonly sigma: number;
  /** Generation time per output token (ms). */
  readonly msPerToken: number;
  /** Length range of text replies, in tokens. */
  readonly minTokens: number;
  readonly maxTokens: number;
  /** USD per 1M tokens (never zero, so cost paths are exercised). */
  readonly inputPer1M: number;
  readonly outputPer1M: number;
  /** Share of calls failing retryably (half rate_limited with Retry-After, half server_error). */
  readonly failureRate: number;
  /** Share of structured replies that come back malformed (exercises repair). */
  readonly invalidOutputRate: number;
}

/** The three models the examples use. */
export const DEFAULT_SIM_MODELS: readonly SimModelSpec[] = [
  {
    id: 'sim-fast',
    displayName: 'Simulated fast',
    medianMs: 250,
    sigma: 0.35,
    msPerToken: 4,
    minTokens: 20,
    maxTokens: 80,
    inputPer1M: 0.15,
    outputPer1M: 0.6,
    failureRate: 0,
    invalidOutputRate: 0,
  },
  {
    id: 'sim-smart',
    displayName: 'Simulated smart',
    medianMs: 900,
    sigma: 0.45,
    msPerToken: 12,
    minTokens: 40,
    maxTokens: 160,
    inputPer1M: 2.5,
    outputPer1M: 10,
    failureRate: 0,
    invalidOutputRate: 0,
  },
  {
    id: 'sim-flaky',
    displayName: 'Simulated flaky',
    medianMs: 500,
    sigma: 0.8,
    msPerToken: 8,
    minTokens: 20,
    maxTokens: 100,
    inputPer1M: 0.5,
    outputPer1M: 1.5,
    failureRate: 0.3,
    invalidOutputRate: 0.2,
  },
];

/** Waits `ms` or until `signal` aborts, whichever is first; never rejects. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = onAbort(signal, done);
  });

export interface SimulatedOptions {
  /** Seed of every model's random stream (default 1). */
  readonly seed?: number | undefined;
  /** Multiplies every latency; 0 = zero-latency mode (no sleeping at all, for benchmarks). */
  readonly latencyScale?: number | undefined;
  /** Replaces the default models. */
  readonly models?: readonly SimModelSpec[] | undefined;
  /** Injected so tests run in microseconds; latencies are still reported as simulated. */
  readonly sleep?: Sleep | undefined;
}

const RATE_LIMIT_RETRY_AFTER_MS = 250;
const MAX_STREAM_CHUNKS = 12;
const FILLER =
  'the answer depends on context and on the data given so far this reply summarises the main points briefly with care'.split(
    ' ',
  );

/** Standard normal from two uniforms (Box-Muller). */
function normal(rand: Rand): number {
  const u = Math.max(rand(), Number.EPSILON);
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export class SimulatedProvider {
  readonly #specs = new Map<string, SimModelSpec>();
  readonly #streams = new Map<string, Rand>();
  readonly #sleep: Sleep;
  #seed: number;
  #scale: number;

  constructor(opts: SimulatedOptions = {}) {
    for (const m of opts.models ?? DEFAULT_SIM_MODELS) this.#specs.set(m.id, { ...m });
    this.#seed = opts.seed ?? 1;
    this.#scale = opts.latencyScale ?? 1;
    this.#sleep = opts.sleep ?? realSleep;
  }

  models(): SimModelSpec[] {
    return [...this.#specs.values()].map((m) => ({ ...m }));
  }

  model(id: string): SimModelSpec | undefined {
    return this.#specs.get(id);
  }

  /** Changes a model's latency from the next call on (estimate tests: "the model got slower"). */
  setLatency(id: string, change: Partial<Pick<SimModelSpec, 'medianMs' | 'sigma' | 'msPerToken'>>): void {
    this.#update(id, change);
  }

  setFailureRate(id: string, failureRate: number, invalidOutputRate?: number): void {
    this.#update(id, invalidOutputRate === undefined ? { failureRate } : { failureRate, invalidOutputRate });
  }

  /** 0 = zero-latency mode; 1 = as specified; 0.1 = ten times faster. */
  setLatencyScale(scale: number): void {
    if (!(scale >= 0)) throw new Error('latency scale must be >= 0');
    this.#scale = scale;
  }

  /** Restarts every model's random stream from `seed`. */
  reseed(seed: number): void {
    this.#seed = seed;
    this.#streams.clear();
  }

  #update(id: string, change: Partial<SimModelSpec>): void {
    const spec = this.#specs.get(id);
    if (!spec) throw new Error(`unknown simulated model ${id}`);
    this.#specs.set(id, { ...spec, ...change });
  }

  #stream(id: string): Rand {
    let s = this.#streams.get(id);
    if (!s) {
      s = mulberry32(fnv1a(id) ^ this.#seed);
      this.#streams.set(id, s);
    }
    return s;
  }

  async call(req: LlmRequest, model: string): Promise<ProviderResult> {
    const spec = this.#specs.get(model);
    if (!spec) {
      const known = [...this.#specs.keys()].join(', ');
      return {
        status: 'invalid_request',
        error: `Unknown simulated model "${model}": use one of ${known}.`,
        latencyMs: 0,
      };
    }
    const cancelled = (latencyMs: number): ProviderResult => ({
      status: 'cancelled',
      error: 'The request was cancelled.',
      latencyMs,
    });
    if (req.signal.aborted) return cancelled(0);

    // Draws in a fixed order, so the n-th call of a model is the same for a given seed.
    const rng = this.#stream(model);
    const ttft = spec.medianMs * Math.exp(spec.sigma * normal(rng)) * this.#scale;
    const failDraw = rng();
    const kindDraw = rng();
    const invalidDraw = rng();
    const tokensIn = estimatePromptTokens(req.messages);

    if (failDraw < spec.failureRate) {
      const latencyMs = ttft / 2;
      if (latencyMs > 0) await this.#sleep(latencyMs, req.signal);
      if (req.signal.aborted) return cancelled(latencyMs);
      const limited = kindDraw < 0.5;
      return {
        status: limited ? 'rate_limited' : 'server_error',
        error: `Simulated ${limited ? 'rate limit' : 'server error'} from ${model} (fails ${Math.round(spec.failureRate * 100)}% of calls).`,
        retryAfterMs: limited ? RATE_LIMIT_RETRY_AFTER_MS : undefined,
        tokensIn: 0,
        tokensOut: 0,
        latencyMs,
        raw: { simulated: true, model },
      };
    }

    let text = this.#reply(req, spec, invalidDraw < spec.invalidOutputRate);
    let finishReason = 'stop';
    for (const s of req.stop ?? []) {
      const at = s ? text.indexOf(s) : -1;
      if (at >= 0) text = text.slice(0, at);
    }
    if (req.maxTokens !== undefined && estimateTextTokens(text) > req.maxTokens) {
      text = text.slice(0, req.maxTokens * 4);
      finishReason = 'length';
    }
    const tokensOut = estimateTextTokens(text);
    const genMs = tokensOut * spec.msPerToken * this.#scale;
    const total = ttft + genMs;

    if (req.timeoutMs !== undefined && total > req.timeoutMs) {
      if (this.#scale > 0) await this.#sleep(req.timeoutMs, req.signal);
      if (req.signal.aborted) return cancelled(req.timeoutMs);
      return {
        status: 'timeout',
        error: `${model} did not finish within ${req.timeoutMs} ms (simulated).`,
        latencyMs: req.timeoutMs,
      };
    }

    if (this.#scale > 0) await this.#sleep(ttft, req.signal);
    if (req.signal.aborted) return cancelled(ttft);
    if (req.onToken) {
      const pieces = chunk(text);
      for (const piece of pieces) {
        try {
          req.onToken(piece);
        } catch {
          // a failing listener must not fail the call
        }
        if (this.#scale > 0) await this.#sleep(genMs / pieces.length, req.signal);
        if (req.signal.aborted) return cancelled(ttft);
      }
    } else if (genMs > 0) {
      await this.#sleep(genMs, req.signal);
      if (req.signal.aborted) return cancelled(ttft);
    }
    return {
      status: 'ok',
      text,
      tokensIn,
      tokensOut,
      finishReason,
      latencyMs: total,
      ttftMs: ttft,
      raw: { simulated: true, model, finishReason },
    };
  }

  /** Deterministic for a given model and prompt (seeded by their hash, not by call order). */
  #reply(req: LlmRequest, spec: SimModelSpec, malformed: boolean): string {
    let prompt = '';
    for (const m of req.messages) prompt += `${m.role}\u0000${m.content}\u0000`;
    const rand = mulberry32(fnv1a(prompt, fnv1a(spec.id)) ^ this.#seed);
    const last = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const material = promptMaterial(last);
    if (req.outputSchema) {
      const json = JSON.stringify(
        generateFromSchema(req.outputSchema as Record<string, unknown>, rand, material),
      );
      // Cut in half: the kind of broken JSON a model produces when it loses its way.
      return malformed ? json.slice(0, Math.max(1, Math.floor(json.length / 2))) : json;
    }
    const target = spec.minTokens + Math.floor(rand() * (spec.maxTokens - spec.minTokens + 1));
    const snippet = last.replace(/\s+/g, ' ').trim().slice(0, 60);
    const parts: string[] = [`Simulated reply from ${spec.id}${snippet ? ` to "${snippet}"` : ''}:`];
    let length = parts[0]?.length ?? 0;
    let sentence = 0;
    while (length < target * 4) {
      const pool = rand() < 0.4 ? material.words : FILLER;
      let w = pool[Math.floor(rand() * pool.length)] ?? 'note';
      if (sentence === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
      sentence++;
      if (sentence >= 8 + Math.floor(rand() * 7)) {
        w += '.';
        sentence = 0;
      }
      parts.push(w);
      length += w.length + 1;
    }
    const text = parts.join(' ');
    return text.endsWith('.') ? text : `${text}.`;
  }
}

/** Splits a reply into at most MAX_STREAM_CHUNKS streamed pieces at word boundaries. */
function chunk(text: string): string[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  const per = Math.max(1, Math.ceil(words.length / MAX_STREAM_CHUNKS));
  const out: string[] = [];
  for (let i = 0; i < words.length; i += per) out.push(words.slice(i, i + per).join(''));
  return out;
}
