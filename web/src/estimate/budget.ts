import type { GraphDocument } from '@graphwright/shared';
import { fmtMs, fmtUsd } from '../run/format';
import type { EditorState } from '../store/store';

/** A graph's cost and latency budget, stored in its document and checked against the estimate. */
export type Budget = NonNullable<GraphDocument['budget']>;

/** The top-level graph's budget (the shown graph may be a composite's nested one). */
export function rootBudget(s: EditorState): Budget | undefined {
  const meta = s.scope.length > 0 ? s.scope[0]?.parent.meta : s.meta;
  return meta?.budget;
}

/** Why the estimate breaks the budget, one phrase per limit; empty when it does not. */
export function budgetProblems(
  totals: { costUsd: number; latencyP95Ms: number } | undefined,
  budget: Budget | undefined,
): string[] {
  if (!totals || !budget) return [];
  const out: string[] = [];
  if (budget.maxLatencyMs !== undefined && totals.latencyP95Ms > budget.maxLatencyMs)
    out.push(`p95 ${fmtMs(totals.latencyP95Ms)} exceeds the ${fmtMs(budget.maxLatencyMs)} latency budget`);
  if (budget.maxCostUsd !== undefined && totals.costUsd > budget.maxCostUsd)
    out.push(`expected cost ${fmtUsd(totals.costUsd)} exceeds the ${fmtUsd(budget.maxCostUsd)} budget`);
  return out;
}
