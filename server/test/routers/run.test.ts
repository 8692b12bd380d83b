import type { RunEvent } from '@graphwright/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { Services } from '../../src/services';
import { example, makeCaller, makeServices } from './helpers';

let services: Services | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

function setup() {
  services = makeServices();
  return makeCaller(services);
}

async function collect(s: Services, runId: string): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of s.runs.events(runId, -1)) out.push(e);
  return out;
}

describe('run router', () => {
  it('runs a stored graph on the simulated provider and records events, totals and stats', async () => {
    const { caller } = setup();
    const s = services as Services;
    const { id } = await caller.graph.import({ doc: example('classify-and-route') });
    const { runId } = await caller.run.start({ graphId: id, input: { ticket: 'I was double charged' } });
    await s.runs.waitStored(runId);
    const run = await caller.run.get({ runId });
    expect(run.status).toBe('finished');
    expect(run.totals?.attempts).toBeGreaterThanOrEqual(2);
    expect(run.totals?.costUsd).toBeGreaterThan(0);
    const events = await collect(s, runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events[0]?.type).toBe('run_started');
    expect(events.at(-1)?.type).toBe('run_finished');
    expect(events.some((e) => e.type === 'transition_taken')).toBe(true);
    s.stats.flush();
    const est = await caller.estimate.graph({ graphId: id });
    const classify = est.estimate.blocks.find((b) => b.blockId === 'classify');
    expect(classify?.samples).toBeGreaterThanOrEqual(1);
    expect((await caller.run.list({ graphId: id }))[0]?.id).toBe(runId);
  });

  it('pauses before a block, resumes with an edited var, and the edit is used', async () => {
    const { caller } = setup();
    const s = services as Services;
    const doc = example('composite-refine');
    const { id } = await caller.graph.import({ doc });
    const { runId } = await caller.run.start({
      graphId: id,
      input: {},
      options: { interruptBefore: ['output'] },
    });
    await s.runs.waitStored(runId);
    expect((await caller.run.get({ runId })).status).toBe('interrupted');
    const cps = await caller.run.checkpoints({ runId });
    expect(cps.at(-1)?.frontier.map((f) => f.block)).toEqual(['output']);
    await expect(caller.run.resume({ runId, stateEdits: { vars: { nope: 1 } } })).rejects.toThrow(
      /does not declare/,
    );
    await caller.run.resume({ runId, stateEdits: { vars: { draft: 'EDITED TEXT' } } });
    await new Promise((r) => setTimeout(r, 0));
    await s.runs.waitStored(runId);
    const run = await caller.run.get({ runId });
    expect(run.status).toBe('finished');
    expect(JSON.stringify(run.outputs)).toContain('EDITED TEXT');
    const events = await collect(s, runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  });

  it('forks a new run from a checkpoint of an earlier one', async () => {
    const { caller } = setup();
    const s = services as Services;
    const { id } = await caller.graph.import({ doc: example('single-prompt') });
    const { runId } = await caller.run.start({ graphId: id, input: { question: 'why?' } });
    await s.runs.waitStored(runId);
    const cps = await caller.run.checkpoints({ runId });
    const afterAnswer = cps.find((c) => c.frontier.some((f) => f.block === 'output'));
    expect(afterAnswer).toBeDefined();
    const fork = await caller.run.fork({
      runId,
      checkpointId: afterAnswer?.id ?? '',
      stateEdits: { out: { answer: 'FORKED ANSWER' } },
    });
    await s.runs.waitStored(fork.runId);
    const forked = await caller.run.get({ runId: fork.runId });
    expect(forked.status).toBe('finished');
    expect(forked.parentRunId).toBe(runId);
    // Only what follows the checkpoint runs again, on the edited state.
    const started = (await collect(s, fork.runId))
      .filter((e) => e.type === 'block_started')
      .map((e) => (e as { blockId: string }).blockId);
    expect(started).toEqual(['output']);
    expect(JSON.stringify(forked.outputs)).toContain('FORKED ANSWER');
  });

  it('runs one block alone with given upstream outputs', async () => {
    const { caller } = setup();
    const s = services as Services;
    const { id } = await caller.graph.import({ doc: example('classify-and-route') });
    const { runId } = await caller.run.runBlock({
      graphId: id,
      blockId: 'bug',
      input: { ticket: 'crash on save' },
      out: { classify: { label: 'bug', confidence: 0.7 } },
    });
    await s.runs.waitStored(runId);
    const events = await collect(s, runId);
    const started = events
      .filter((e) => e.type === 'block_started')
      .map((e) => (e as { blockId: string }).blockId);
    expect(started).toEqual(['bug']);
    const attempt = events.find((e) => e.type === 'attempt_finished');
    expect(JSON.stringify(attempt)).toContain('confidence 0.7');
  });

  it('cancels a running graph and says so', async () => {
    services = makeServices();
    const s = services;
    const { caller } = makeCaller(s);
    const { id } = await caller.graph.import({ doc: example('single-prompt') });
    s.llm.simulator.setLatencyScale(1);
    const { runId } = await caller.run.start({ graphId: id, input: { question: 'slow' } });
    await caller.run.cancel({ runId });
    await s.runs.waitStored(runId);
    const run = await caller.run.get({ runId });
    expect(run.status).toBe('cancelled');
    expect(run.error?.code).toBe('cancelled');
  });

  it('refuses to resume a run that is not paused, with a reason', async () => {
    const { caller } = setup();
    const s = services as Services;
    const { id } = await caller.graph.import({ doc: example('single-prompt') });
    const { runId } = await caller.run.start({ graphId: id, input: {} });
    await s.runs.waitStored(runId);
    await expect(caller.run.resume({ runId })).rejects.toThrow(/only a paused run/);
  });
});
