import { checkOutputSchema, utf8Length, withoutSelf } from './analyze-helpers';
import { type ParsedExpr, parseExpr } from './cel';
import type {
  CompiledAssign,
  CompiledBlock,
  CompiledGraph,
  CompiledMessage,
  CompiledTransition,
  ResolvedRecovery,
} from './compiled';
import { checkExprRefs, checkTemplate, type RefScope } from './expr-checks';
import type { DiagnosticCollector } from './issues';
import { LIMITS } from './limits';
import {
  type BlockCommon,
  CompiledCompositeRecord,
  CompiledInputRecord,
  CompiledLlmRecord,
  CompiledMessageRecord,
  CompiledOutputRecord,
  CompiledTransformRecord,
  type LlmParts,
} from './records';
import { resolveRecovery } from './recovery';
import type { Block, GraphDocument, InputField, SubGraph } from './schema';
import type { ParsedTemplate } from './template';

type Where = { blockId?: string; transitionId?: string };

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The (frozen) lists of a block that has none. */
const NO_ASSIGN: CompiledAssign[] = Object.freeze([]) as unknown as CompiledAssign[];
const NO_FIELDS: readonly InputField[] = Object.freeze([]);
/** Only a placeholder in the scratch below (every LLM block sets its own). */
const DEFAULT_RECOVERY = resolveRecovery(undefined, undefined);

/** The (frozen) transition list of a block that has none. */
const NONE: CompiledTransition[] = Object.freeze([]) as unknown as CompiledTransition[];
type Path = (string | number)[];

/*
 * Paths handed to the checks below are scratch arrays, rewritten for each check: a diagnostic
 * copies its path when it is added, so no path outlives the check it was made for.
 */

/** Parses an expression and checks what it reads; reports and returns undefined when it is bad. */
export function parseChecked(
  source: string,
  path: Path,
  blockIdx: number,
  withOutput: boolean,
  where: Where,
  scope: RefScope,
  dc: DiagnosticCollector,
): ParsedExpr | undefined {
  const r = parseExpr(source, withOutput);
  if (!r.ok) {
    dc.add(r.code, r.message, { path, ...where });
    return undefined;
  }
  checkExprRefs(r.expr, blockIdx, path, where, scope, dc);
  return r.expr;
}

function checkPrompt(
  text: string,
  b: Block,
  i: number,
  path: Path,
  where: Where,
  scope: RefScope,
  dc: DiagnosticCollector,
): ParsedTemplate | undefined {
  // UTF-8 needs at most 3 bytes per UTF-16 unit: only long prompts need the exact count.
  if (text.length * 3 > LIMITS.maxPromptBytes && utf8Length(text) > LIMITS.maxPromptBytes) {
    dc.add(
      'prompt_too_large',
      `A prompt of block "${b.id}" is over ${LIMITS.maxPromptBytes / 1024} KB: shorten it, or pass large text in through an input.`,
      { path, ...where },
    );
    return undefined;
  }
  return checkTemplate(text, i, path, where, scope, dc);
}

/**
 * Each block's outgoing transitions (else excluded), in transition order: slices of one array
 * sorted by block, so that no list comes from an allocation site of its own (records.ts says why
 * that matters). A block with none gets the shared empty list.
 */
function outgoingLists(n: number, transitions: readonly CompiledTransition[]): CompiledTransition[][] {
  const starts = new Int32Array(n + 1);
  let kept = 0;
  for (const t of transitions) {
    if (t.isElse) continue;
    starts[t.from + 1] = (starts[t.from + 1] as number) + 1;
    kept++;
  }
  for (let k = 0; k < n; k++) starts[k + 1] = (starts[k + 1] as number) + (starts[k] as number);
  const at = starts.slice(0, n);
  const sorted: CompiledTransition[] = new Array(kept);
  for (const t of transitions) {
    if (t.isElse) continue;
    sorted[at[t.from] as number] = t;
    at[t.from] = (at[t.from] as number) + 1;
  }
  const lists: CompiledTransition[][] = new Array(n);
  for (let k = 0; k < n; k++) {
    const from = starts[k] as number;
    const to = starts[k + 1] as number;
    lists[k] = from === to ? NONE : sorted.slice(from, to);
  }
  return lists;
}

export type AnalyzeChild<O> = (
  g: SubGraph,
  dc: DiagnosticCollector,
  depth: number,
  opts: O,
) => CompiledGraph | undefined;

/**
 * Checks every block of one graph level and compiles those without problems (their versions are
 * set when the graph's hash is written, version.ts).
 * `childHashes[i]` is the hash of composite block i's nested graph, for the graph's own hash.
 */
export function analyzeBlocks<O>(
  g: GraphDocument | SubGraph,
  compiledTransitions: readonly CompiledTransition[],
  scope: RefScope,
  dc: DiagnosticCollector,
  depth: number,
  opts: O,
  analyzeChild: AnalyzeChild<O>,
): { compiledBlocks: CompiledBlock[]; childHashes: (string | undefined)[] } {
  const blocks = g.blocks;
  const n = blocks.length;
  // Outgoing transitions of each block (else excluded), in transition order, and its else.
  const elseOf: (CompiledTransition | undefined)[] = new Array(n);
  for (const t of compiledTransitions) if (t.isElse) elseOf[t.from] = t;
  const outgoingOf = outgoingLists(n, compiledTransitions);

  // Blocks without a recovery policy of their own share one resolved policy (read-only).
  let sharedRecovery: ResolvedRecovery | undefined;
  // A copy overwritten in order (at its final size, no growing), cut short if a block fails.
  const compiledBlocks = blocks.slice() as unknown as CompiledBlock[];
  let compiledCount = 0;
  const childHashes: (string | undefined)[] = [];
  const p3: Path = ['blocks', 0, ''];
  const p4: Path = ['blocks', 0, '', ''];
  const p5: Path = ['blocks', 0, 'messages', 0, 'content'];
  // Scratch, rewritten for each block: the records copy what they keep (records.ts), and a
  // diagnostic copies `where` when it is added.
  const where = { blockId: '' };
  const llm: Writable<LlmParts> = {
    provider: '',
    model: '',
    selection: undefined,
    system: undefined,
    messages: [],
    outputSchema: undefined,
    temperature: undefined,
    maxTokens: undefined,
    topP: undefined,
    stop: undefined,
    recovery: DEFAULT_RECOVERY,
  };
  const c: Writable<BlockCommon> = {
    index: 0,
    id: '',
    name: '',
    routing: 'first',
    join: 'any',
    joinAncestors: undefined,
    outgoing: NONE,
    elseTransition: undefined,
    assign: NO_ASSIGN,
    timeoutMs: undefined,
    maxVisits: 0,
    spec: blocks[0] as Block,
  };
  for (let i = 0; i < n; i++) {
    const b = blocks[i] as Block;
    p3[1] = i;
    p4[1] = i;
    p5[1] = i;
    where.blockId = b.id;
    let assign: CompiledAssign[] = NO_ASSIGN;
    if (b.assign) {
      assign = [];
      p4[2] = 'assign';
      for (const varName of Object.keys(b.assign)) {
        p4[3] = varName;
        const v = scope.vars.get(varName);
        if (!v) {
          dc.add(
            'assign_unknown_var',
            `Block "${b.id}" assigns "${varName}", which is not a declared var: declare it under the graph's vars (with a reducer) or fix the name.`,
            { path: p4, ...where },
          );
          continue;
        }
        const expr = parseChecked(b.assign[varName] as string, p4, i, true, where, scope, dc);
        if (expr) assign.push({ varName, reducer: v.reducer, expr });
      }
    }
    c.index = i;
    c.id = b.id;
    c.name = b.name;
    c.routing = b.routing ?? 'first';
    c.join = b.join ?? 'any';
    c.joinAncestors = b.join === 'all' ? withoutSelf(scope.topo.ancestorsOf(i), i) : undefined;
    c.outgoing = outgoingOf[i] as CompiledTransition[];
    c.elseTransition = elseOf[i];
    c.assign = assign;
    c.timeoutMs = b.timeoutMs ?? (b.type === 'llm' ? g.defaults?.timeoutMs : undefined);
    c.maxVisits = b.maxVisits ?? g.limits?.maxVisitsPerBlock ?? LIMITS.defaultMaxVisitsPerBlock;
    c.spec = b;
    switch (b.type) {
      case 'input':
        compiledBlocks[compiledCount++] = new CompiledInputRecord(c, b.fields ?? NO_FIELDS);
        break;
      case 'output': {
        p3[2] = 'value';
        const value =
          b.value !== undefined ? parseChecked(b.value, p3, i, false, where, scope, dc) : undefined;
        compiledBlocks[compiledCount++] = new CompiledOutputRecord(c, value);
        break;
      }
      case 'transform': {
        p3[2] = 'expr';
        const expr = parseChecked(b.expr, p3, i, false, where, scope, dc);
        if (expr) compiledBlocks[compiledCount++] = new CompiledTransformRecord(c, expr);
        break;
      }
      case 'llm': {
        if (b.messages.length === 0 && !b.system) {
          dc.add(
            'llm_no_messages',
            `LLM block "${b.id}" has no prompt: add a user message (e.g. "{{input.question}}").`,
            { path: ['blocks', i, 'messages'], ...where },
          );
        }
        p3[2] = 'system';
        const system = b.system !== undefined ? checkPrompt(b.system, b, i, p3, where, scope, dc) : undefined;
        let ok = b.system === undefined || system !== undefined;
        // A copy overwritten item by item (a slice has no allocation site: see records.ts).
        const messages = b.messages.slice() as unknown as CompiledMessage[];
        for (let mi = 0; mi < b.messages.length; mi++) {
          const m = b.messages[mi] as (typeof b.messages)[number];
          p5[3] = mi;
          const template = checkPrompt(m.content, b, i, p5, where, scope, dc);
          if (!template) ok = false;
          messages[mi] = new CompiledMessageRecord(m.role, template as ParsedTemplate);
        }
        if (b.outputSchema !== undefined) {
          p3[2] = 'outputSchema';
          checkOutputSchema(b.outputSchema, p3, b.id, dc);
        }
        let recovery: ResolvedRecovery;
        if (b.recovery !== undefined) recovery = resolveRecovery(b.recovery, g.defaults?.recovery);
        else {
          sharedRecovery ??= resolveRecovery(undefined, g.defaults?.recovery);
          recovery = sharedRecovery;
        }
        if (ok) {
          llm.provider = b.provider;
          llm.model = b.model;
          llm.selection = b.selection;
          llm.system = system;
          llm.messages = messages;
          llm.outputSchema = b.outputSchema;
          llm.temperature = b.temperature;
          llm.maxTokens = b.maxTokens;
          llm.topP = b.topP;
          llm.stop = b.stop;
          llm.recovery = recovery;
          compiledBlocks[compiledCount++] = new CompiledLlmRecord(c, llm);
        }
        break;
      }
      case 'composite': {
        let inputMap: { key: string; expr: ParsedExpr }[] | undefined;
        if (b.inputMap) {
          inputMap = [];
          p4[2] = 'inputMap';
          for (const key of Object.keys(b.inputMap)) {
            p4[3] = key;
            const expr = parseChecked(b.inputMap[key] as string, p4, i, false, where, scope, dc);
            if (expr) inputMap.push({ key, expr });
          }
        }
        if (depth + 1 > LIMITS.maxCompositeDepth) {
          dc.add(
            'composite_too_deep',
            `Composite "${b.id}" nests graphs more than ${LIMITS.maxCompositeDepth} levels deep: flatten the innermost levels.`,
            { path: ['blocks', i, 'graph'], ...where },
          );
          break;
        }
        const child = analyzeChild(b.graph, dc.child(b.id, ['blocks', i, 'graph']), depth + 1, opts);
        if (child) {
          childHashes[i] = child.hash;
          compiledBlocks[compiledCount++] = new CompiledCompositeRecord(c, child, inputMap);
        }
        break;
      }
    }
  }
  if (compiledCount < n) compiledBlocks.length = compiledCount;
  return { compiledBlocks, childHashes };
}
