import type { BlockIdentity } from '../estimate/types';
import type { SelectionPolicy } from '../graph/schema';
import type { ResponseStatus } from './status';

/** One chat message as sent to a model (templates already rendered). */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** What the engine asks of the LLM service for one attempt of one `llm` block. */
export interface LlmRequest {
  readonly runId: string;
  readonly blockId: string;
  /** Ids of the enclosing composite blocks, outermost first (trace metadata). */
  readonly path: readonly string[];
  readonly provider: string;
  readonly model: string;
  /** When present the service picks the model (cheapest meeting the targets) and says why. */
  readonly selection?: SelectionPolicy | undefined;
  /**
   * The block's stats identity, which model selection needs to look up estimates (history is per
   * identity and model). Without it a selection policy can only rank by price.
   */
  readonly identity?: BlockIdentity | undefined;
  readonly messages: readonly ChatMessage[];
  readonly outputSchema?: Readonly<Record<string, unknown>> | undefined;
  readonly temperature?: number | undefined;
  readonly maxTokens?: number | undefined;
  readonly topP?: number | undefined;
  readonly stop?: readonly string[] | undefined;
  readonly timeoutMs?: number | undefined;
  /** 1-based attempt number of this block visit (retries, fallbacks and repairs included). */
  readonly attempt: number;
  /** Aborted when the run is cancelled, its deadline passes or the block times out. */
  readonly signal: AbortSignal;
  /** Called with each streamed text delta; the engine turns these into token_delta events. */
  readonly onToken?: ((text: string) => void) | undefined;
}

/** What came back from one attempt. Never thrown: failures are statuses. */
export interface LlmResponse {
  readonly status: ResponseStatus;
  readonly retryable: boolean;
  /** Set when the provider said how long to wait (Retry-After / retry-after-ms). */
  readonly retryAfterMs?: number | undefined;
  /** The text the model returned (complete only when status is ok). */
  readonly text?: string | undefined;
  /** The parsed JSON output when the request had an output schema and it validated. */
  readonly output?: unknown;
  /** A message for a person: what failed and, where possible, what to do. Never contains a key. */
  readonly error?: string | undefined;
  readonly provider: string;
  readonly model: string;
  readonly tokensIn: number;
  readonly tokensOut: number;
  /** True when the provider omitted usage and tokens were estimated from text length. */
  readonly tokensEstimated?: boolean | undefined;
  /** USD; null when the model's price is unknown (never a made-up zero). */
  readonly costUsd: number | null;
  readonly latencyMs: number;
  readonly ttftMs?: number | undefined;
  readonly finishReason?: string | undefined;
  /** Why this model was chosen when a selection policy applied. */
  readonly selectionReason?: string | undefined;
  /** Raw response body or a summary of it, for the inspector. */
  readonly raw?: unknown;
}

/** The LLM service as the engine sees it. */
export type LlmCaller = (request: LlmRequest) => Promise<LlmResponse>;
