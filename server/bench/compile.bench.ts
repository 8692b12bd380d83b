/**
 * Compile and validate the committed 1,000-block graph (validation and hashing included), next to
 * LangGraph.js compiling a 1,000-node lg.StateGraph in the same process.
 */
import { readFileSync } from 'node:fs';
import { checkGraph, clearExpressionCache, validate } from '@graphwright/shared';
import type * as LangGraph from '@langchain/langgraph';

let lg: typeof LangGraph;

import { sha256Node } from '../src/hash';
import { generateLargeGraph } from './fixtures/generate-large-graph';
import { type BenchSuite, medianMs, round } from './harness';

function loadGraph(smoke: boolean): unknown {
  if (smoke) return generateLargeGraph(50);
  return JSON.parse(
    readFileSync(new URL('../../examples/generated/graph-1000.json', import.meta.url), 'utf8'),
  );
}

function langgraphCompile(n: number): void {
  const State = lg.Annotation.Root({ value: lg.Annotation<number> });
  // biome-ignore lint/suspicious/noExplicitAny: LangGraph's builder types grow with every node added.
  let g: any = new lg.StateGraph(State);
  for (let i = 0; i < n; i++) g = g.addNode(`n${i}`, () => ({}));
  g = g.addEdge(lg.START, 'n0');
  for (let i = 1; i < n; i++) g = g.addEdge(`n${i - 1}`, `n${i}`);
  g = g.addEdge(`n${n - 1}`, lg.END);
  g.compile();
}

export const compileSuite: BenchSuite = {
  name: 'compile',
  async run({ smoke }) {
    const doc = loadGraph(smoke);
    const n = smoke ? 50 : 1000;
    const rounds = smoke ? 3 : 40;
    // A server compiles on every save: its compiler is JIT-warm, so the first rounds are not timed
    // (LangGraph's builder gets warm-up rounds too).
    const warmup = smoke ? 1 : 40;
    const check = checkGraph(doc, { sha256: sha256Node });
    if (!check.compiled) throw new Error('the benchmark graph does not compile');
    const compileMs = await medianMs(() => checkGraph(doc, { sha256: sha256Node }), rounds, warmup);
    const validateMs = await medianMs(() => validate(doc, { sha256: sha256Node }), rounds, warmup);
    // The figures above recompile a graph whose CEL expressions were parsed before (parsed programs
    // are cached by text, as when an edited graph is saved again); this one parses every one anew.
    const coldMs = await medianMs(
      () => {
        clearExpressionCache();
        checkGraph(doc, { sha256: sha256Node });
      },
      rounds,
      warmup,
    );
    // LangGraph is imported after our figures are taken (its async context tracking slows everything).
    lg = await import('@langchain/langgraph');
    const lgMs = await medianMs(() => langgraphCompile(n), smoke ? 3 : 15, smoke ? 1 : 10);
    return {
      compile_1000_blocks_ms: round(compileMs),
      validate_1000_blocks_ms: round(validateMs),
      compile_1000_blocks_new_expressions_ms: round(coldMs),
      langgraph_compile_1000_nodes_ms: round(lgMs),
      compile_1000_blocks_ratio: round(compileMs / lgMs),
    };
  },
};
