import { checkOutputSchema, initialFor, setVersion, utf8Length, withoutSelf } from './analyze-helpers';
import { type ParsedExpr, parseExpr } from './cel';
import type {
  CompiledAssign,
  CompiledBlock,
  CompiledGraph,
  CompiledTransition,
  CompiledVar,
} from './compiled';
import { checkExprRefs, checkTemplate } from './expr-checks';
import { fastHash64, type Sha256Hex } from './hash';
import type { DiagnosticCollector } from './issues';
import { LIMITS } from './limits';
import { checkParallelWrites } from './parallel';
import { resolveRecovery } from './recovery';
import type { Block, GraphDocument, SubGraph } from './schema';
import type { ParsedTemplate } from './template';
import { computeTopology, reachableFrom } from './topology';
import { blockVersionText, graphHashText } from './version';

export interface AnalyzeOptions {
  readonly sha256: Sha256Hex;
}

/**
 * Checks one graph level (recursing into composites) and, when it has no errors, builds its
 * compiled form. Validation and compilation are one pass, so `compile` succeeds exactly when
 * `validate` reports no errors.
 */
export function analyzeGraph(
  g: GraphDocument | SubGraph,
  dc: DiagnosticCollector,
  depth: number,
  opts: AnalyzeOptions,
): CompiledGraph | undefined {
  const startErrors = dc.errorCount;
  const blocks = g.blocks;
  const n = blocks.length;

  // Ids.
  const blockIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const b = blocks[i] as Block;
    if (blockIndex.has(b.id)) {
      dc.add('duplicate_block_id', `Two blocks have the id "${b.id}": give each block its own id.`, {
        path: ['blocks', i, 'id'],
        blockId: b.id,
      });
    } else blockIndex.set(b.id, i);
  }

  // Transitions.
  const succ: number[][] = Array.from({ length: n }, () => []);
  const transitionIds = new Set<string>();
  const elseSeen = new Set<number>();
  const validTransitions: { ti: number; from: number; to: number }[] = [];
  g.transitions.forEach((t, ti) => {
    const where = { path: ['transitions', ti], transitionId: t.id };
    if (transitionIds.has(t.id)) {
      dc.add(
        'duplicate_transition_id',
        `Two transitions have the id "${t.id}": give each its own id.`,
        where,
      );
    }
    transitionIds.add(t.id);
    const from = blockIndex.get(t.from);
    const to = blockIndex.get(t.to);
    if (from === undefined) {
      dc.add(
        'unknown_transition_source',
        `Transition "${t.id}" starts at "${t.from}", which is not a block of this graph: connect it to an existing block or delete it.`,
        { ...where, path: ['transitions', ti, 'from'] },
      );
    }
    if (to === undefined) {
      dc.add(
        'unknown_transition_target',
        `Transition "${t.id}" goes to "${t.to}", which is not a block of this graph: connect it to an existing block or delete it.`,
        { ...where, path: ['transitions', ti, 'to'] },
      );
    }
    if (t.else && t.when !== undefined) {
      dc.add(
        'else_with_condition',
        `Transition "${t.id}" is an else transition and also has a condition: remove one of the two.`,
        { ...where, path: ['transitions', ti, 'when'] },
      );
    }
    if (from === undefined || to === undefined) return;
    if (t.else) {
      if (elseSeen.has(from)) {
        dc.add('multiple_else', `Block "${t.from}" has more than one else transition: keep one.`, {
          ...where,
          blockId: t.from,
        });
      }
      elseSeen.add(from);
    }
    succ[from]?.push(to);
    validTransitions.push({ ti, from, to });
  });

  // Input and output blocks.
  const inputs: number[] = [];
  const outputs: number[] = [];
  blocks.forEach((b, i) => {
    if (b.type === 'input') inputs.push(i);
    if (b.type === 'output') outputs.push(i);
  });
  if (inputs.length === 0)
    dc.add('missing_input', 'The graph has no input block: add one where the run starts.', {
      path: ['blocks'],
    });
  if (inputs.length > 1) {
    for (const i of inputs.slice(1)) {
      dc.add(
        'multiple_inputs',
        'The graph has more than one input block: keep exactly one where the run starts.',
        { path: ['blocks', i], blockId: blocks[i]?.id },
      );
    }
  }
  if (outputs.length === 0)
    dc.add('missing_output', 'The graph has no output block: add one where the run ends.', {
      path: ['blocks'],
    });
  for (const { ti, from, to } of validTransitions) {
    const t = g.transitions[ti];
    if (to === inputs[0])
      dc.add(
        'input_has_incoming',
        `Transition "${t?.id}" goes into the input block: a run starts there, so nothing can lead into it. Point it at another block.`,
        { path: ['transitions', ti], transitionId: t?.id },
      );
    if (blocks[from]?.type === 'output')
      dc.add(
        'output_has_outgoing',
        `Transition "${t?.id}" leaves output block "${t?.from}": a run ends at an output block. Move the output to the end.`,
        { path: ['transitions', ti], transitionId: t?.id },
      );
  }

  // Reachability from the input block.
  const inputIndex = inputs[0];
  let reachable: Uint8Array | undefined;
  if (inputIndex !== undefined) {
    reachable = reachableFrom(inputIndex, succ, n);
    if (outputs.length > 0 && !outputs.some((o) => reachable?.[o])) {
      dc.add(
        'no_reachable_output',
        'No output block can be reached from the input block: connect a path from the input to an output.',
        { path: ['transitions'] },
      );
    }
    for (let i = 0; i < n; i++) {
      if (!reachable[i]) {
        const b = blocks[i] as Block;
        dc.add(
          'unreachable_block',
          `Block "${b.name || b.id}" can never run: no path leads to it from the input block. Connect it or delete it.`,
          { path: ['blocks', i], blockId: b.id },
        );
      }
    }
  }

  const topo = computeTopology(n, succ);

  // Cycles need a way out: a transition leaving the cycle and a condition that can choose it.
  topo.sccMembers.forEach((members, c) => {
    if (!topo.sccCyclic[c]) return;
    let exits = false;
    let conditional = false;
    for (const { ti, from, to } of validTransitions) {
      if (topo.sccOf[from] !== c) continue;
      const t = g.transitions[ti];
      if (t?.when !== undefined || t?.else) conditional = true;
      if (topo.sccOf[to] !== c) exits = true;
    }
    if (!exits || !conditional) {
      const first = blocks[Math.min(...members)] as Block;
      const names = members
        .map((m) => `"${blocks[m]?.id}"`)
        .slice(0, 5)
        .join(', ');
      dc.add(
        'cycle_without_exit',
        !exits
          ? `The loop through ${names} has no transition leaving it, so a run could never finish: add a conditional transition out of the loop.`
          : `The loop through ${names} has no condition, so it would run until the iteration limit: give one of its transitions a condition (e.g. vars.tries >= 3).`,
        { path: ['blocks', Math.min(...members)], blockId: first.id },
      );
    }
  });

  // Vars.
  const vars = new Map<string, CompiledVar>();
  for (const [name, spec] of Object.entries(g.vars ?? {})) {
    vars.set(name, { name, reducer: spec.reducer, initial: spec.initial ?? initialFor(spec.reducer) });
  }
  if (vars.size > LIMITS.maxVars)
    dc.add('schema', `The graph declares ${vars.size} vars; the limit is ${LIMITS.maxVars}.`, {
      path: ['vars'],
    });

  const inputBlock = inputIndex !== undefined ? blocks[inputIndex] : undefined;
  const inputFields =
    inputBlock?.type === 'input' && inputBlock.fields && inputBlock.fields.length > 0
      ? new Set(inputBlock.fields.map((f) => f.name))
      : undefined;
  const scope = { blockIndex, vars, inputFields, topo };

  // Expressions and templates, per block.
  const parseAt = (
    source: string,
    path: (string | number)[],
    blockIdx: number,
    withOutput: boolean,
    where: { blockId?: string; transitionId?: string },
  ): ParsedExpr | undefined => {
    const r = parseExpr(source, withOutput);
    if (!r.ok) {
      dc.add(r.code, r.message, { path, ...where });
      return undefined;
    }
    checkExprRefs(r.expr, blockIdx, path, where, scope, dc);
    return r.expr;
  };

  const compiledTransitions: CompiledTransition[] = [];
  for (const { ti, from, to } of validTransitions) {
    const t = g.transitions[ti];
    if (!t) continue;
    const when =
      t.when !== undefined
        ? parseAt(t.when, ['transitions', ti, 'when'], from, false, { transitionId: t.id })
        : undefined;
    compiledTransitions.push({
      index: compiledTransitions.length,
      id: t.id,
      from,
      to,
      when,
      isElse: t.else === true,
      conditionHash: t.else ? 'else' : t.when !== undefined ? fastHash64(t.when).slice(0, 12) : 'always',
    });
  }

  const outgoingOf: CompiledTransition[][] = Array.from({ length: n }, () => []);
  const incomingOf: CompiledTransition[][] = Array.from({ length: n }, () => []);
  const elseOf: (CompiledTransition | undefined)[] = new Array(n);
  for (const t of compiledTransitions) {
    if (t.isElse) elseOf[t.from] = t;
    else outgoingOf[t.from]?.push(t);
    incomingOf[t.to]?.push(t);
  }

  const compiledBlocks: CompiledBlock[] = [];
  const versionTexts: string[] = [];
  for (let i = 0; i < n; i++) {
    const b = blocks[i] as Block;
    const at = (...p: (string | number)[]) => ['blocks', i, ...p];
    const where = { blockId: b.id };
    const assign: CompiledAssign[] = [];
    for (const [varName, source] of Object.entries(b.assign ?? {})) {
      const v = vars.get(varName);
      if (!v) {
        dc.add(
          'assign_unknown_var',
          `Block "${b.id}" assigns "${varName}", which is not a declared var: declare it under the graph's vars (with a reducer) or fix the name.`,
          { path: at('assign', varName), ...where },
        );
        continue;
      }
      const expr = parseAt(source, at('assign', varName), i, true, where);
      if (expr) assign.push({ varName, reducer: v.reducer, expr });
    }
    const common = {
      index: i,
      id: b.id,
      name: b.name,
      routing: b.routing ?? 'first',
      join: b.join ?? 'any',
      joinAncestors: b.join === 'all' ? withoutSelf(topo.ancestorsOf(i), i) : undefined,
      outgoing: outgoingOf[i] as CompiledTransition[],
      elseTransition: elseOf[i],
      incoming: incomingOf[i] as CompiledTransition[],
      assign,
      timeoutMs: b.timeoutMs ?? (b.type === 'llm' ? g.defaults?.timeoutMs : undefined),
      maxVisits: b.maxVisits ?? g.limits?.maxVisitsPerBlock ?? LIMITS.defaultMaxVisitsPerBlock,
      spec: b,
    };
    switch (b.type) {
      case 'input':
        versionTexts.push(blockVersionText(b, undefined));
        compiledBlocks.push(
          Object.assign(common, {
            type: 'input' as const,
            fields: b.fields ?? [],
            version: '',
          }),
        );
        break;
      case 'output': {
        const value = b.value !== undefined ? parseAt(b.value, at('value'), i, false, where) : undefined;
        versionTexts.push(blockVersionText(b, undefined));
        compiledBlocks.push(
          Object.assign(common, {
            type: 'output' as const,
            value,
            version: '',
          }),
        );
        break;
      }
      case 'transform': {
        const expr = parseAt(b.expr, at('expr'), i, false, where);
        versionTexts.push(blockVersionText(b, undefined));
        if (expr)
          compiledBlocks.push(
            Object.assign(common, {
              type: 'transform' as const,
              expr,
              version: '',
            }),
          );
        break;
      }
      case 'llm': {
        if (b.messages.length === 0 && !b.system) {
          dc.add(
            'llm_no_messages',
            `LLM block "${b.id}" has no prompt: add a user message (e.g. "{{input.question}}").`,
            { path: at('messages'), ...where },
          );
        }
        const tpl = (text: string, path: (string | number)[]): ParsedTemplate | undefined => {
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
        };
        const system = b.system !== undefined ? tpl(b.system, at('system')) : undefined;
        const messages = b.messages.map((m, mi) => ({
          role: m.role,
          template: tpl(m.content, at('messages', mi, 'content')),
        }));
        if (b.outputSchema !== undefined) checkOutputSchema(b.outputSchema, at('outputSchema'), b.id, dc);
        const recovery = resolveRecovery(b.recovery, g.defaults?.recovery);
        versionTexts.push(blockVersionText(b, { recovery, timeoutMs: common.timeoutMs }));
        if (messages.every((m) => m.template) && (b.system === undefined || system)) {
          compiledBlocks.push(
            Object.assign(common, {
              type: 'llm' as const,
              provider: b.provider,
              model: b.model,
              selection: b.selection,
              system,
              messages: messages.map((m) => ({ role: m.role, template: m.template as ParsedTemplate })),
              outputSchema: b.outputSchema,
              params: { temperature: b.temperature, maxTokens: b.maxTokens, topP: b.topP, stop: b.stop },
              recovery,
              version: '',
            }),
          );
        }
        break;
      }
      case 'composite': {
        let inputMap: { key: string; expr: ParsedExpr }[] | undefined;
        if (b.inputMap) {
          inputMap = [];
          for (const [key, source] of Object.entries(b.inputMap)) {
            const expr = parseAt(source, at('inputMap', key), i, false, where);
            if (expr) inputMap.push({ key, expr });
          }
        }
        if (depth + 1 > LIMITS.maxCompositeDepth) {
          dc.add(
            'composite_too_deep',
            `Composite "${b.id}" nests graphs more than ${LIMITS.maxCompositeDepth} levels deep: flatten the innermost levels.`,
            { path: at('graph'), ...where },
          );
          versionTexts.push('');
          break;
        }
        const child = analyzeGraph(b.graph, dc.child(b.id, at('graph')), depth + 1, opts);
        versionTexts.push(blockVersionText(b, { childHash: child?.hash }));
        if (child)
          compiledBlocks.push(
            Object.assign(common, {
              type: 'composite' as const,
              child,
              inputMap,
              version: '',
            }),
          );
        break;
      }
    }
  }

  checkParallelWrites(g, succ, topo, dc);

  if (dc.errorCount > startErrors || inputIndex === undefined) return undefined;
  const hash = opts.sha256(graphHashText(g, versionTexts));
  const compiled: CompiledGraph = {
    hash,
    name: 'name' in g && typeof g.name === 'string' ? g.name : '',
    doc: g,
    blocks: compiledBlocks,
    blockIndex,
    transitions: compiledTransitions,
    inputIndex,
    outputIndices: outputs,
    vars,
    limits: {
      maxIterations: g.limits?.maxIterations ?? LIMITS.defaultMaxIterations,
      maxVisitsPerBlock: g.limits?.maxVisitsPerBlock ?? LIMITS.defaultMaxVisitsPerBlock,
      deadlineMs: g.limits?.deadlineMs,
    },
    diagnostics: [],
    depth,
  };
  // Frozen so that a cached compiled graph cannot be changed by a run that holds it.
  for (const t of compiledTransitions) Object.freeze(t);
  for (const b of compiledBlocks) {
    setVersion(b, versionTexts[b.index] as string);
    Object.freeze(b.outgoing);
    Object.freeze(b.incoming);
    Object.freeze(b);
  }
  Object.freeze(compiledBlocks);
  Object.freeze(compiledTransitions);
  return Object.freeze(compiled);
}
