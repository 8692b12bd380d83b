/**
 * The engine against LangGraph.js on the same shapes with no-op blocks: an `llm` block whose
 * injected caller resolves at once (it still goes through dispatch, events and attempt records),
 * and LangGraph nodes that return at once. Plus delta checkpoints of a 1 MiB state against
 * LangGraph's MemorySaver.
 */
import {
  compile,
  executeRun,
  type GraphDocument,
  type LlmCaller,
  type LlmResponse,
  MemoryCheckpointStore,
  type RunEvent,
} from '@graphwright/shared';
import type * as LangGraph from '@langchain/langgraph';
import { sha256Node } from '../src/hash';
import { type BenchSuite, medianMs, round } from './harness';

const okResponse: LlmResponse = {
  status: 'ok',
  retryable: false,
  provider: 'noop',
  model: 'noop',
  text: 'ok',
  tokensIn: 1,
  tokensOut: 1,
  costUsd: 0,
  latencyMs: 0,
};
const noopCaller: LlmCaller = () => Promise.resolve(okResponse);

function llmBlock(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: id,
    type: 'llm' as const,
    provider: 'noop',
    model: 'noop',
    messages: [{ role: 'user' as const, content: 'x' }],
    ...extra,
  };
}

function chainDoc(n: number): GraphDocument {
  const blocks = [
    { id: 'input', name: 'in', type: 'input' as const },
    ...Array.from({ length: n }, (_, i) => llmBlock(`b${i}`)),
    { id: 'output', name: 'out', type: 'output' as const },
  ];
  const ids = blocks.map((b) => b.id);
  return {
    schemaVersion: 1,
    name: 'chain',
    blocks,
    transitions: ids.slice(1).map((to, i) => ({ id: `t${i}`, from: ids[i] as string, to })),
    limits: { maxIterations: 10_000_000, maxVisitsPerBlock: 1_000_000 },
  };
}

function loopDoc(iterations: number): GraphDocument {
  return {
    schemaVersion: 1,
    name: 'loop',
    vars: { i: { reducer: 'sum', initial: 0 } },
    limits: { maxIterations: 10_000_000, maxVisitsPerBlock: 1_000_000 },
    blocks: [
      { id: 'input', name: 'in', type: 'input' },
      llmBlock('a'),
      llmBlock('b', { assign: { i: '1' } }),
      { id: 'output', name: 'out', type: 'output' },
    ],
    transitions: [
      { id: 't0', from: 'input', to: 'a' },
      { id: 't1', from: 'a', to: 'b' },
      { id: 't2', from: 'b', to: 'a', when: `vars.i < ${iterations}.0` },
      { id: 't3', from: 'b', to: 'output', else: true },
    ],
  };
}

function fanoutDoc(n: number): GraphDocument {
  const tasks = Array.from({ length: n }, (_, i) => llmBlock(`f${i}`));
  return {
    schemaVersion: 1,
    name: 'fanout',
    blocks: [
      { id: 'input', name: 'in', type: 'input', routing: 'all' },
      ...tasks,
      { id: 'join', name: 'join', type: 'output', join: 'all', value: '1' },
    ],
    transitions: [
      ...tasks.map((t, i) => ({ id: `a${i}`, from: 'input', to: t.id })),
      ...tasks.map((t, i) => ({ id: `b${i}`, from: t.id, to: 'join' })),
    ],
  };
}

async function ours(
  doc: GraphDocument,
  input: unknown = {},
  checkpoints?: MemoryCheckpointStore,
): Promise<number> {
  const g = compile(doc, { sha256: sha256Node });
  let events = 0;
  let last: RunEvent | undefined;
  const r = await executeRun(
    g,
    { runId: 'bench', input },
    {
      llm: noopCaller,
      now: Date.now,
      sleep: () => Promise.resolve(),
      sink: (e) => {
        events++;
        last = e;
      },
      checkpoints,
    },
  );
  if (r.status !== 'finished') throw new Error(`bench run ${r.status}: ${r.error?.message}`);
  if (last?.type !== 'run_finished') throw new Error('no run_finished event');
  return events;
}

/** A prepared run of ours: compile once, time only the execution. */
function prepared(doc: GraphDocument, input: unknown = {}) {
  const g = compile(doc, { sha256: sha256Node });
  return async (checkpoints?: MemoryCheckpointStore) => {
    const r = await executeRun(
      g,
      { runId: 'bench', input },
      { llm: noopCaller, now: Date.now, sleep: () => Promise.resolve(), sink: () => {}, checkpoints },
    );
    if (r.status !== 'finished') throw new Error(`bench run ${r.status}: ${r.error?.message}`);
  };
}

/** LangGraph is imported only after our figures are taken: its import installs async context
 * tracking that slows every promise in the process, which would otherwise be charged to us. */
let lg: typeof LangGraph;

// biome-ignore lint/suspicious/noExplicitAny: LangGraph's builder types grow with every node added.
type AnyGraph = any;
const lgState = () =>
  lg.Annotation.Root({
    i: lg.Annotation<number>({ reducer: (_a: number, b: number) => b, default: () => 0 }),
  });

function lgChain(n: number): AnyGraph {
  let g: AnyGraph = new lg.StateGraph(lgState());
  for (let i = 0; i < n; i++) g = g.addNode(`n${i}`, () => ({}));
  g = g.addEdge(lg.START, 'n0');
  for (let i = 1; i < n; i++) g = g.addEdge(`n${i - 1}`, `n${i}`);
  return g.addEdge(`n${n - 1}`, lg.END).compile();
}

function lgLoop(iterations: number): AnyGraph {
  return new lg.StateGraph(lgState())
    .addNode('a', () => ({}))
    .addNode('b', (s: { i: number }) => ({ i: s.i + 1 }))
    .addEdge(lg.START, 'a')
    .addEdge('a', 'b')
    .addConditionalEdges('b', (s: { i: number }) => (s.i < iterations ? 'a' : lg.END))
    .compile();
}

function lgFanout(n: number): AnyGraph {
  let g: AnyGraph = new lg.StateGraph(lgState());
  for (let i = 0; i < n; i++) g = g.addNode(`f${i}`, () => ({}));
  g = g.addNode('join', () => ({}));
  for (let i = 0; i < n; i++) g = g.addEdge(lg.START, `f${i}`);
  g = g.addEdge(
    Array.from({ length: n }, (_, i) => `f${i}`),
    'join',
  );
  return g.addEdge('join', lg.END).compile();
}

async function checkpointOurs(steps: number, rounds: number) {
  const payload = 'x'.repeat(1024 * 1024);
  const doc = chainDoc(steps);
  const run = prepared(doc, { payload });
  let bytes = 0;
  let written = 0;
  const ms = await medianMs(
    async () => {
      const store = new MemoryCheckpointStore();
      await run(store);
      const list = store.list('bench');
      written = list.length;
      bytes = list.reduce((s, c) => s + c.json.length, 0);
    },
    rounds,
    1,
  );

  return { ms, bytes, written, payload };
}

async function checkpointLangGraph(steps: number, rounds: number, payload: string) {
  // LangGraph: the same 1 MiB in the state; each node changes one small key.
  const State = lg.Annotation.Root({
    payload: lg.Annotation<string>({ reducer: (_a: string, b: string) => b, default: () => '' }),
    k: lg.Annotation<number>({ reducer: (_a: number, b: number) => b, default: () => 0 }),
  });
  let g: AnyGraph = new lg.StateGraph(State);
  for (let i = 0; i < steps; i++) g = g.addNode(`n${i}`, () => ({ k: i }));
  g = g.addEdge(lg.START, 'n0');
  for (let i = 1; i < steps; i++) g = g.addEdge(`n${i - 1}`, `n${i}`);
  let lgBytes = 0;
  const saver0 = new lg.MemorySaver();
  const compiledLg = g.addEdge(`n${steps - 1}`, lg.END).compile({ checkpointer: saver0 });
  let thread = 0;
  let saver = saver0;
  const lgMs = await medianMs(
    async () => {
      saver = new lg.MemorySaver();
      compiledLg.checkpointer = saver;
      await compiledLg.invoke(
        { payload },
        { configurable: { thread_id: `t${thread++}` }, recursionLimit: steps + 10 },
      );
    },
    Math.max(1, Math.floor(rounds / 2)),
    0,
  );
  for (const ns of Object.values(saver.storage))
    for (const cps of Object.values(ns))
      for (const [cp, meta] of Object.values(cps)) lgBytes += cp.length + meta.length;
  for (const w of Object.values(saver.writes)) for (const [, , v] of Object.values(w)) lgBytes += v.length;
  // LangGraph's first checkpoint holds the run input; ours keeps the input with the run. Count both without it.
  return { lgMs, lgBytes: Math.max(0, lgBytes - payload.length) };
}

export const runtimeSuite: BenchSuite = {
  name: 'engine',
  async run({ smoke }) {
    const chainN = smoke ? 50 : 1000;
    const loopN = smoke ? 50 : 1000;
    const fanN = smoke ? 10 : 100;
    const rounds = smoke ? 3 : 15;
    await ours(chainDoc(10));

    const chain = prepared(chainDoc(chainN));
    const loop = prepared(loopDoc(loopN));
    const fan = prepared(fanoutDoc(fanN));
    const single = prepared(chainDoc(1));
    const chainMs = await medianMs(() => chain(), rounds);
    const loopMs = await medianMs(() => loop(), rounds);
    const fanMs = await medianMs(() => fan(), rounds * 4);
    const singleMs = await medianMs(() => single(), rounds * 20, 50);

    const cpSteps = smoke ? 20 : 1000;
    const cpRounds = smoke ? 2 : 5;
    const cp = await checkpointOurs(cpSteps, cpRounds);

    lg = await import('@langchain/langgraph');
    const lc = lgChain(chainN);
    const ll = lgLoop(loopN);
    const lf = lgFanout(fanN);
    const l1 = lgChain(1);
    const lgRounds = smoke ? 2 : 5;
    const lgChainMs = await medianMs(() => lc.invoke({ i: 0 }, { recursionLimit: chainN + 10 }), lgRounds, 1);
    const lgLoopMs = await medianMs(
      () => ll.invoke({ i: 0 }, { recursionLimit: 2 * loopN + 10 }),
      lgRounds,
      1,
    );
    const lgFanMs = await medianMs(() => lf.invoke({ i: 0 }), lgRounds * 2, 1);
    const lgSingleMs = await medianMs(() => l1.invoke({ i: 0 }), lgRounds * 20, 5);

    const lgCp = await checkpointLangGraph(cpSteps, cpRounds, cp.payload);

    const r = (ourMs: number, lgMs: number, per: number, key: string) => ({
      [key]: round((ourMs * 1000) / per),
      [`langgraph_${key}`]: round((lgMs * 1000) / per),
      [`${key}_ratio`]: round(ourMs / lgMs, 4),
    });
    return {
      ...r(chainMs, lgChainMs, chainN, 'chain_1000_us_per_step'),
      ...r(loopMs, lgLoopMs, 2 * loopN, 'loop_2x1000_us_per_step'),
      ...r(fanMs, lgFanMs, fanN, 'fanout_100_us_per_task'),
      ...r(singleMs, lgSingleMs, 1, 'invoke_fixed_us'),
      checkpoint_1mib_state_us_per_step: round((cp.ms * 1000) / cpSteps),
      checkpoint_bytes_per_step: round(cp.bytes / cpSteps),
      checkpoints_written: cp.written,
      langgraph_checkpoint_1mib_state_us_per_step: round((lgCp.lgMs * 1000) / cpSteps),
      langgraph_checkpoint_bytes_per_step: round(lgCp.lgBytes / cpSteps),
      checkpoint_1mib_state_us_per_step_ratio: round(cp.ms / lgCp.lgMs),
    };
  },
};
