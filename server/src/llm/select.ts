/**
 * Model selection: among a block's allowed models, the cheapest whose estimated p95 latency and
 * success rate meet the block's targets. The reason is written for a person and recorded on the
 * attempt ("chose sim-fast: cheapest with p95 1.2 s ≤ 2 s").
 *
 * Without enough history a model's figures are unknown. It is then tried (cheapest first) when no
 * model with known figures meets the targets: otherwise a new model would never be learned. When
 * every model is known and none meets the targets, the one nearest to them is chosen and the
 * reason says so.
 */
import type {
  BlockEstimate,
  BlockIdentity,
  ModelEstimates,
  ModelRef,
  SelectionPolicy,
} from '@graphwright/shared';
import type { Price } from './tokens';

/** Fewer samples than this and an estimate is treated as unknown. */
export const MIN_SELECTION_SAMPLES = 5;

export interface Selection {
  readonly provider: string;
  readonly model: string;
  readonly reason: string;
}

export interface SelectionContext {
  readonly estimates?: ModelEstimates | undefined;
  readonly identity?: BlockIdentity | undefined;
  /** Undefined when the provider or model is not configured (it is skipped). */
  readonly priceOf: (ref: ModelRef) => Price | undefined | 'unavailable';
  /** Estimated prompt tokens and output tokens, for price-based cost when history has none. */
  readonly promptTokens: number;
  readonly outputTokens: number;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${s < 10 ? Number(s.toFixed(1)) : Math.round(s)} s`;
}

const pct = (x: number): string => `${Number((x * 100).toFixed(1))}%`;

function usd(x: number): string {
  return `$${x < 0.01 ? x.toPrecision(2) : x.toFixed(4)}`;
}

interface Candidate {
  readonly ref: ModelRef;
  readonly index: number;
  readonly estimate: BlockEstimate | undefined;
  /** Expected USD per call; Infinity when unknown (ranked last). */
  readonly cost: number;
}

function expectedCost(price: Price | undefined, e: BlockEstimate | undefined, ctx: SelectionContext): number {
  if (e && e.costMeanUsd !== null && e.samples >= MIN_SELECTION_SAMPLES) return e.costMeanUsd;
  if (price?.inputPer1M === undefined || price.outputPer1M === undefined) return Number.POSITIVE_INFINITY;
  const tin = e && e.samples >= MIN_SELECTION_SAMPLES ? e.tokensInMean : ctx.promptTokens;
  const tout = e && e.samples >= MIN_SELECTION_SAMPLES ? e.tokensOutMean : ctx.outputTokens;
  return (tin * price.inputPer1M + tout * price.outputPer1M) / 1_000_000;
}

const byCost = (a: Candidate, b: Candidate): number => a.cost - b.cost || a.index - b.index;

/** Picks a model for one attempt; `undefined` only when the policy lists nothing usable. */
export function selectModel(policy: SelectionPolicy, ctx: SelectionContext): Selection | undefined {
  const candidates: Candidate[] = [];
  const skipped: string[] = [];
  policy.models.forEach((ref, index) => {
    const price = ctx.priceOf(ref);
    if (price === 'unavailable') {
      skipped.push(`${ref.provider}/${ref.model}`);
      return;
    }
    const e = ctx.identity ? ctx.estimates?.forModel(ctx.identity, ref.provider, ref.model) : undefined;
    candidates.push({ ref, index, estimate: e, cost: expectedCost(price, e, ctx) });
  });
  const note = skipped.length > 0 ? ` (skipped, not available: ${skipped.join(', ')})` : '';
  if (candidates.length === 0) return undefined;

  const { maxP95Ms, minSuccessRate } = policy;
  const choose = (c: Candidate, why: string): Selection => ({
    provider: c.ref.provider,
    model: c.ref.model,
    reason: `chose ${c.ref.model}: ${why}${note}`,
  });
  const costText = (c: Candidate): string => (Number.isFinite(c.cost) ? `, ~${usd(c.cost)} per call` : '');

  if (maxP95Ms === undefined && minSuccessRate === undefined) {
    const c = [...candidates].sort(byCost)[0] as Candidate;
    return choose(c, `cheapest of ${candidates.length} (no latency or success target)${costText(c)}`);
  }

  const known = candidates.filter((c) => c.estimate && c.estimate.samples >= MIN_SELECTION_SAMPLES);
  const meets = (e: BlockEstimate): boolean =>
    (maxP95Ms === undefined || e.latencyP95Ms <= maxP95Ms) &&
    (minSuccessRate === undefined || e.successRate >= minSuccessRate);
  const targets = (e: BlockEstimate): string => {
    const parts: string[] = [];
    if (maxP95Ms !== undefined) {
      parts.push(
        `p95 ${formatMs(e.latencyP95Ms)} ${e.latencyP95Ms <= maxP95Ms ? '≤' : '>'} ${formatMs(maxP95Ms)}`,
      );
    }
    if (minSuccessRate !== undefined) {
      parts.push(
        `success ${pct(e.successRate)} ${e.successRate >= minSuccessRate ? '≥' : '<'} ${pct(minSuccessRate)}`,
      );
    }
    return parts.join(' and ');
  };

  const good = known.filter((c) => meets(c.estimate as BlockEstimate)).sort(byCost);
  const best = good[0];
  if (best) return choose(best, `cheapest with ${targets(best.estimate as BlockEstimate)}${costText(best)}`);

  const unknown = candidates.filter((c) => !known.includes(c)).sort(byCost);
  const fresh = unknown[0];
  if (fresh) {
    const n = fresh.estimate?.samples ?? 0;
    const why = known.length > 0 ? 'no model with history meets the targets; ' : '';
    return choose(fresh, `${why}no history yet (${n} samples), trying it to learn its latency`);
  }

  // Everything is known and nothing meets the targets: the nearest miss.
  const nearest = [...known].sort((a, b) => {
    const ea = a.estimate as BlockEstimate;
    const eb = b.estimate as BlockEstimate;
    if (minSuccessRate !== undefined && maxP95Ms === undefined) return eb.successRate - ea.successRate;
    return ea.latencyP95Ms - eb.latencyP95Ms || eb.successRate - ea.successRate || byCost(a, b);
  })[0] as Candidate;
  const e = nearest.estimate as BlockEstimate;
  const dimension = maxP95Ms !== undefined ? 'lowest p95' : 'highest success rate';
  return choose(nearest, `no model meets the targets; ${dimension} (${targets(e)})`);
}
