import { ExprEvaluationError, evalExpr, markJsonSafe, type ParsedExpr } from '../../graph/cel';
import type { CompiledBlock, CompiledGraph, CompiledTransition } from '../../graph/compiled';
import { type ParsedTemplate, readPath, renderTemplate } from '../../graph/template';
import type { BlockPath, RunError } from '../events';
import type { ChatMessage } from '../llm';
import { runLlmBlock } from './llm-block';
import { OutVector } from './out-vector';
import { reduceVar } from './reducers';
import { deepFreeze, type RunCtx, TIMER_DONE } from './run-ctx';

export interface Activation {
  readonly block: number;
  /** Index of the block whose transition activated this one; -1 for the start. */
  readonly from: number;
}

export interface ScopeHooks {
  /** Top level only: whether to hold this activation instead of running it (interrupt before / step). */
  holdBefore?(block: CompiledBlock): boolean;
  /** Top level only: whether to hold the successors of this finished block (interrupt after / step). */
  holdAfter?(block: CompiledBlock): boolean;
  /** Top level only: called after each finished block (checkpoints). */
  afterBlock?(scope: Scope, block: CompiledBlock): void;
}

type Result = { ok: true; value: unknown } | { ok: false; error: RunError };

/**
 * Executes one graph level (the top graph, or a composite's nested graph) over the run state
 * `{ input, out, vars }`. Activations run as concurrent tasks; state updates are applied one at a
 * time when a task finishes, by structural sharing (nothing is deep-copied).
 */
export class Scope {
  /** The graph's input with the input block's field defaults applied: what `input` reads. */
  readonly input: unknown;
  out: OutVector;
  vars: Record<string, unknown>;
  readonly visits: number[];
  readonly outputs: Record<string, unknown> = {};
  /** Activations held by an interrupt (top level): the frontier a resume starts from. */
  readonly held: Activation[] = [];
  readonly runningActs = new Set<Activation>();
  readonly changedOut = new Set<number>();
  readonly changedVars = new Set<string>();
  private readonly runningAt: Int32Array;
  private readonly waiting = new Map<number, Activation[]>();
  private running = 0;
  private resolveDone: (() => void) | undefined;

  constructor(
    readonly run: RunCtx,
    readonly g: CompiledGraph,
    readonly path: BlockPath,
    rawInput: unknown,
    private readonly hooks: ScopeHooks = {},
  ) {
    this.input = withDefaults(g, rawInput);
    this.out = OutVector.empty(g.blocks.length);
    this.vars = {};
    for (const v of g.vars.values()) this.vars[v.name] = v.initial;
    this.visits = new Array<number>(g.blocks.length).fill(0);
    this.runningAt = new Int32Array(g.blocks.length);
  }

  /** Runs from the given activations until nothing is running or waiting. */
  execute(start: readonly Activation[]): Promise<void> {
    const done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
    for (const a of start) this.launch(a, true);
    this.settle();
    return done;
  }

  private launch(act: Activation, fromResume = false): void {
    if (this.run.failure) return;
    const b = this.g.blocks[act.block] as CompiledBlock;
    if (b.join === 'all' && act.from >= 0 && !fromResume) {
      const list = this.waiting.get(b.index);
      if (list) list.push(act);
      else this.waiting.set(b.index, [act]);
      return;
    }
    if (this.hooks.holdBefore?.(b)) {
      this.held.push(act);
      return;
    }
    this.running++;
    this.runningAt[b.index] = (this.runningAt[b.index] as number) + 1;
    this.runningActs.add(act);
    void this.task(b, act).finally(() => {
      this.running--;
      this.runningAt[b.index] = (this.runningAt[b.index] as number) - 1;
      this.runningActs.delete(act);
      this.settle();
    });
  }

  /** Releases join "all" blocks whose branches have all settled; ends the scope when idle. */
  private settle(): void {
    if (!this.run.failure && this.waiting.size > 0) {
      for (const [bi, arrivals] of this.waiting) {
        if (this.joinReady(bi)) {
          this.waiting.delete(bi);
          this.launch(arrivals[arrivals.length - 1] as Activation, true);
        }
      }
      if (this.running === 0 && this.waiting.size > 0 && this.held.length === 0) {
        // Joins waiting on each other (a cycle of joins): release the first rather than hang.
        const [bi, arrivals] = this.waiting.entries().next().value as [number, Activation[]];
        this.waiting.delete(bi);
        this.launch(arrivals[arrivals.length - 1] as Activation, true);
      }
    }
    if (this.running === 0 && (this.waiting.size === 0 || this.run.failure || this.held.length > 0)) {
      const r = this.resolveDone;
      this.resolveDone = undefined;
      r?.();
    }
  }

  private joinReady(bi: number): boolean {
    const ancestors = (this.g.blocks[bi] as CompiledBlock).joinAncestors;
    if (!ancestors) return true;
    for (const a of ancestors) {
      if ((this.runningAt[a] as number) > 0 || (a !== bi && this.waiting.has(a))) return false;
    }
    for (const h of this.held) if (ancestors.has(h.block)) return false;
    return true;
  }

  /** Activations still waiting at a join (part of the frontier at a checkpoint). */
  waitingActivations(): Activation[] {
    return [...this.waiting.values()].flat();
  }

  private async task(b: CompiledBlock, act: Activation): Promise<void> {
    const run = this.run;
    const visit = (this.visits[b.index] ?? 0) + 1;
    this.visits[b.index] = visit;
    run.iterations++;
    run.emit({
      type: 'block_started',
      blockId: b.id,
      path: this.path,
      blockName: b.name,
      blockType: b.type,
      blockVersion: b.version,
      visit,
    });
    const t0 = run.ctx.now();
    let result: Result;
    if (run.iterations > run.maxIterations) {
      result = {
        ok: false,
        error: {
          code: 'max_iterations',
          message: `The run executed ${run.maxIterations} blocks, its maxIterations limit, at block "${b.id}": check the loop's exit condition or raise limits.maxIterations.`,
          blockId: b.id,
          path: this.path,
        },
      };
    } else if (visit > b.maxVisits) {
      result = {
        ok: false,
        error: {
          code: 'max_visits',
          message: `Block "${b.id}" ran ${b.maxVisits} times, its visit limit: check the loop's exit condition or raise maxVisits.`,
          blockId: b.id,
          path: this.path,
        },
      };
    } else {
      result = await this.computeWithTimeout(b, act);
    }
    const durationMs = run.ctx.now() - t0;
    if (!result.ok) {
      run.emit({ type: 'block_failed', blockId: b.id, path: this.path, error: result.error, durationMs });
      run.fail(result.error);
      return;
    }
    if (run.failure) {
      run.emit({
        type: 'block_skipped',
        blockId: b.id,
        path: this.path,
        reason: `the run ended (${run.failure.code}) before this block's result could be used`,
      });
      return;
    }
    run.blockExecutions++;
    const value = run.ctx.freeze ? deepFreeze(result.value) : result.value;
    markJsonSafe(value);
    this.out = this.out.set(b.index, value);
    this.changedOut.add(b.index);
    if (b.type === 'output') this.outputs[b.id] = value;
    try {
      for (const a of b.assign) {
        const v = evalExpr(a.expr, this.exprContext(a.expr, value));
        this.vars = {
          ...this.vars,
          [a.varName]: reduceVar(a.reducer, this.vars[a.varName], v, run.ctx.freeze),
        };
        this.changedVars.add(a.varName);
      }
    } catch (e) {
      this.failExpr(b, e, durationMs);
      return;
    }
    run.emit({ type: 'block_finished', blockId: b.id, path: this.path, output: value, durationMs });
    let next: CompiledTransition[];
    try {
      next = this.route(b);
    } catch (e) {
      this.failExpr(b, e, 0);
      return;
    }
    const hold = this.hooks.holdAfter?.(b) ?? false;
    for (const t of next) {
      const to = this.g.blocks[t.to] as CompiledBlock;
      run.emit({
        type: 'transition_taken',
        path: this.path,
        transitionId: t.id,
        from: b.id,
        to: to.id,
        conditionHash: t.conditionHash,
      });
      const a: Activation = { block: t.to, from: b.index };
      if (hold) this.held.push(a);
      else this.launch(a);
    }
    this.runningActs.delete(act);
    this.hooks.afterBlock?.(this, b);
  }

  private failExpr(b: CompiledBlock, e: unknown, durationMs: number): void {
    const error: RunError = {
      code: 'expression_error',
      message: `Block "${b.id}": ${e instanceof Error ? e.message : String(e)}`,
      blockId: b.id,
      path: this.path,
    };
    this.run.emit({ type: 'block_failed', blockId: b.id, path: this.path, error, durationMs });
    this.run.fail(error);
  }

  private route(b: CompiledBlock): CompiledTransition[] {
    const taken: CompiledTransition[] = [];
    for (const t of b.outgoing) {
      if (t.when === undefined || evalExpr(t.when, this.exprContext(t.when)) === true) {
        taken.push(t);
        if (b.routing === 'first') break;
      }
    }
    if (taken.length === 0 && b.elseTransition) taken.push(b.elseTransition);
    return taken;
  }

  private computeWithTimeout(b: CompiledBlock, act: Activation): Promise<Result> {
    if (b.timeoutMs === undefined) return this.compute(b, act, this.run.abort.signal);
    return this.computeTimed(b, act, b.timeoutMs);
  }

  private async computeTimed(b: CompiledBlock, act: Activation, timeoutMs: number): Promise<Result> {
    const runSignal = this.run.abort.signal;
    const timeout = new AbortController();
    const timer = new AbortController();
    let timedOut = false;
    void this.run.ctx.sleep(timeoutMs, timer.signal).then(() => {
      if (!timer.signal.aborted) {
        timedOut = true;
        timeout.abort(new Error('timeout'));
      }
    });
    const r = await this.compute(b, act, AbortSignal.any([runSignal, timeout.signal]));
    timer.abort(TIMER_DONE);
    if (timedOut && !this.run.failure) {
      return {
        ok: false,
        error: {
          code: 'timeout',
          message: `Block "${b.id}" took longer than its timeout of ${b.timeoutMs} ms.`,
          blockId: b.id,
          path: this.path,
          status: 'timeout',
        },
      };
    }
    return r;
  }

  private async compute(b: CompiledBlock, act: Activation, signal: AbortSignal): Promise<Result> {
    try {
      switch (b.type) {
        case 'input':
          return this.inputValue(b);
        case 'output':
          return {
            ok: true,
            value: b.value
              ? evalExpr(b.value, this.exprContext(b.value))
              : act.from >= 0
                ? this.out.get(act.from)
                : null,
          };
        case 'transform':
          return { ok: true, value: evalExpr(b.expr, this.exprContext(b.expr)) };
        case 'llm': {
          const messages: ChatMessage[] = [];
          if (b.system) messages.push({ role: 'system', content: this.render(b.system) });
          for (const m of b.messages) messages.push({ role: m.role, content: this.render(m.template) });
          const r = await runLlmBlock(this.run, b, this.path, messages, signal);
          return r.ok ? { ok: true, value: r.output } : r;
        }
        case 'composite': {
          let childInput: unknown = this.input;
          if (b.inputMap) {
            const o: Record<string, unknown> = {};
            for (const { key, expr } of b.inputMap) o[key] = evalExpr(expr, this.exprContext(expr));
            childInput = o;
          }
          const child = new Scope(this.run, b.child, [...this.path, b.id], childInput);
          await child.execute([{ block: b.child.inputIndex, from: -1 }]);
          if (this.run.failure) return { ok: false, error: this.run.failure };
          const keys = Object.keys(child.outputs);
          return { ok: true, value: keys.length === 1 ? child.outputs[keys[0] as string] : child.outputs };
        }
      }
    } catch (e) {
      if (e instanceof ExprEvaluationError) {
        return {
          ok: false,
          error: {
            code: 'expression_error',
            message: `Block "${b.id}": ${e.message}`,
            blockId: b.id,
            path: this.path,
          },
        };
      }
      throw e;
    }
  }

  private inputValue(b: Extract<CompiledBlock, { type: 'input' }>): Result {
    if (b.fields.length === 0) return { ok: true, value: this.input ?? {} };
    const value = this.input as Record<string, unknown>;
    const missing = b.fields.filter((f) => f.required && value[f.name] === undefined).map((f) => f.name);
    if (missing.length > 0 && this.path.length === 0) {
      return {
        ok: false,
        error: {
          code: 'invalid_input',
          message: `The run needs input ${missing.map((m) => `"${m}"`).join(', ')}: give ${missing.length === 1 ? 'it' : 'them'} a value.`,
          blockId: b.id,
          path: this.path,
        },
      };
    }
    return { ok: true, value };
  }

  /** A CEL context with only the `out` entries the expression reads (the whole map only when it asks). */
  exprContext(expr: ParsedExpr, output?: unknown): Record<string, unknown> {
    const refs = expr.refs.outRefs;
    let out: Record<string, unknown>;
    if (refs === 'all') out = this.outObject();
    else {
      out = {};
      for (const id of refs) {
        const i = this.g.blockIndex.get(id);
        if (i !== undefined && this.out.has(i)) out[id] = this.out.get(i);
      }
    }
    const c: Record<string, unknown> = { input: this.input, out, vars: this.vars };
    if (output !== undefined) c.output = output;
    return c;
  }

  outObject(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const i of this.out.keys()) o[(this.g.blocks[i] as CompiledBlock).id] = this.out.get(i);
    return o;
  }

  private render(t: ParsedTemplate): string {
    return renderTemplate(t, (p) => {
      switch (p.root) {
        case 'input':
          return readPath(this.input, p.segments);
        case 'vars':
          return readPath(this.vars, p.segments);
        case 'out': {
          const i = this.g.blockIndex.get(p.segments[0] as string);
          return i === undefined ? undefined : readPath(this.out.get(i), p.segments, 1);
        }
        default:
          return undefined;
      }
    });
  }
}

function withDefaults(g: CompiledGraph, input: unknown): unknown {
  const b = g.blocks[g.inputIndex];
  if (b?.type !== 'input' || b.fields.length === 0) return input ?? {};
  const given =
    input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  let value: Record<string, unknown> | undefined;
  for (const f of b.fields) {
    if (given[f.name] === undefined && f.default !== undefined) {
      value ??= { ...given };
      value[f.name] = f.default;
    }
  }
  return value ?? given;
}
