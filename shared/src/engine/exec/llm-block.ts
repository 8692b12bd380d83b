import type { CompiledLlmBlock } from '../../graph/compiled';
import type { ModelRef } from '../../graph/schema';
import type { AttemptRecord, BlockPath, RunError } from '../events';
import type { ChatMessage, LlmResponse } from '../llm';
import type { RunCtx } from './run-ctx';
import { TokenSlicer } from './token-slicer';

export type LlmOutcome = { ok: true; output: unknown } | { ok: false; error: RunError };

/** Backoff before retry number `retry` (1-based): exponential, capped, with ± jitter. */
export function backoffMs(block: CompiledLlmBlock, retry: number, random: () => number): number {
  const r = block.recovery.retry;
  const base = Math.min(r.maxDelayMs, r.baseDelayMs * r.multiplier ** (retry - 1));
  const jitter = r.jitter * base * (2 * random() - 1);
  return Math.max(0, Math.round(base + jitter));
}

/**
 * One visit of an llm block: attempts with retries (backoff with jitter that really waits,
 * Retry-After honoured and capped, bounded by attempts and total time), then the fallback models
 * in order, and a repair attempt on output that fails its schema. Every attempt is recorded.
 */
export async function runLlmBlock(
  run: RunCtx,
  block: CompiledLlmBlock,
  path: BlockPath,
  messages: readonly ChatMessage[],
  signal: AbortSignal,
): Promise<LlmOutcome> {
  const { ctx } = run;
  const random = ctx.random ?? Math.random;
  const policy = block.recovery.retry;
  const override = run.req.providerOverride;
  const models: ModelRef[] = [
    { provider: block.provider, model: block.model },
    ...block.recovery.fallback,
  ].map((m) => (override ? { provider: override, model: m.model } : m));
  const visitStart = ctx.now();
  let attempt = 0;
  let repairsLeft = block.recovery.repairAttempts;
  let last: LlmResponse | undefined;
  let convo = messages;
  for (let mi = 0; mi < models.length; mi++) {
    const model = models[mi] as ModelRef;
    let retry = 0;
    let waited = 0;
    for (;;) {
      if (signal.aborted) return { ok: false, error: run.abortError(block.id, path) };
      attempt++;
      const kind: AttemptRecord['kind'] =
        retry > 0 ? 'retry' : mi > 0 ? 'fallback' : attempt > 1 ? 'repair' : 'first';
      run.emit({
        type: 'attempt_started',
        blockId: block.id,
        path,
        attempt,
        kind,
        provider: model.provider,
        model: model.model,
      });
      const startedAt = ctx.now();
      const tokens = new TokenSlicer(ctx, (text) =>
        run.emit({ type: 'token_delta', blockId: block.id, path, attempt, text }),
      );
      let res: LlmResponse;
      try {
        res = await ctx.llm({
          runId: run.req.runId,
          blockId: block.id,
          path,
          provider: model.provider,
          model: model.model,
          selection: mi === 0 && !override ? block.selection : undefined,
          messages: convo,
          outputSchema: block.outputSchema,
          temperature: block.params.temperature,
          maxTokens: block.params.maxTokens,
          topP: block.params.topP,
          stop: block.params.stop,
          timeoutMs: block.timeoutMs,
          attempt,
          signal,
          onToken: (text) => tokens.push(text),
        });
      } finally {
        tokens.flush();
      }
      last = res;
      const record: AttemptRecord = {
        runId: run.req.runId,
        blockId: block.id,
        path,
        blockName: block.name,
        blockType: 'llm',
        blockVersion: block.version,
        attempt,
        retry,
        kind,
        provider: res.provider || model.provider,
        model: res.model || model.model,
        startedAt,
        latencyMs: res.latencyMs,
        ttftMs: res.ttftMs,
        tokensIn: res.tokensIn,
        tokensOut: res.tokensOut,
        costUsd: res.costUsd,
        status: res.status,
        error: res.error,
        retryAfterMs: res.retryAfterMs,
        waitedMs: waited || undefined,
        selectionReason: res.selectionReason,
        request: { messages: convo },
        responseText: res.text,
        output: res.output,
      };
      run.recordAttempt(record);
      run.emit({ type: 'attempt_finished', blockId: block.id, path, record });
      if (run.overBudget()) {
        return {
          ok: false,
          error: {
            code: 'budget_exceeded',
            message: `The run's cost passed its budget of $${run.req.budgetUsd} at block "${block.id}".`,
            blockId: block.id,
            path,
            status: 'budget_exceeded',
          },
        };
      }
      if (res.status === 'ok')
        return { ok: true, output: res.output !== undefined ? res.output : (res.text ?? '') };
      if (signal.aborted || res.status === 'cancelled')
        return { ok: false, error: run.abortError(block.id, path) };
      if (res.status === 'invalid_output' && repairsLeft > 0) {
        repairsLeft--;
        convo = [
          ...convo,
          { role: 'assistant', content: res.text ?? '' },
          {
            role: 'user',
            content: `Your reply did not match the required JSON schema: ${res.error ?? 'invalid output'}. Reply again with only JSON that matches the schema.`,
          },
        ];
        continue;
      }
      if (!res.retryable || retry + 1 >= policy.maxAttempts) break;
      retry++;
      const delay = Math.max(
        backoffMs(block, retry, random),
        Math.min(res.retryAfterMs ?? 0, policy.maxRetryAfterMs),
      );
      if (ctx.now() + delay - visitStart > policy.maxTotalMs) break;
      waited = delay;
      await ctx.sleep(delay, signal);
    }
  }
  const status = last?.status ?? 'server_error';
  return {
    ok: false,
    error: {
      code: 'block_failed',
      status,
      blockId: block.id,
      path,
      message: `Block "${block.name || block.id}" failed after ${attempt} attempt${attempt === 1 ? '' : 's'} (${status}): ${last?.error ?? 'no detail'}`,
    },
  };
}
