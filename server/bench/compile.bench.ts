/**
 * Compile and validate the committed 1,000-block graph (validation and hashing included), next to
 * LangGraph.js compiling a 1,000-node lg.StateGraph in the same process.
 */
import { readFileSync } from 'node:fs';
import { checkGraph, validate } from '@graphwright/shared';
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
    const rounds = smoke ? 3 : 30;
    const check = checkGraph(doc, { sha256: sha256Node });
    if (!check.compiled) throw new Error('the benchmark graph does not compile');
    const compileMs = await medianMs(() => checkGraph(doc, { sha256: sha256Node }), rounds, 5);
    const validateMs = await medianMs(() => validate(doc, { sha256: sha256Node }), rounds, 5);
    // LangGraph is imported after our figures are taken (its async context tracking slows everything).
    lg = await import('@langchain/langgraph');
    const lgMs = await medianMs(() => langgraphCompile(n), smoke ? 3 : 15, 2);
    return {
      compile_1000_blocks_ms: round(compileMs),
      validate_1000_blocks_ms: round(validateMs),
      langgraph_compile_1000_nodes_ms: round(lgMs),
      compile_1000_blocks_ratio: round(compileMs / lgMs),
    };
  },
};
