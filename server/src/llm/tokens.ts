/** Token estimates (when a provider omits usage) and cost from the price table. */
import type { ChatMessage } from '@graphwright/shared';

/** About four characters per token for English text: the usual rule of thumb for BPE vocabularies. */
export function estimateTextTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** Prompt tokens, with the few tokens of framing each chat message costs. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  let n = 3;
  for (const m of messages) n += 4 + estimateTextTokens(m.content);
  return n;
}

export interface Price {
  /** USD per 1M input tokens. */
  readonly inputPer1M?: number | undefined;
  readonly outputPer1M?: number | undefined;
}

/** USD for the given usage; null when either price is unknown (never a made-up zero). */
export function costUsd(tokensIn: number, tokensOut: number, price: Price | undefined): number | null {
  if (price?.inputPer1M === undefined || price.outputPer1M === undefined) return null;
  return (tokensIn * price.inputPer1M + tokensOut * price.outputPer1M) / 1_000_000;
}
