import { describe, expect, it } from 'vitest';
import type { Services } from '../../src/services';
import { callerPerTest, collectEvents, example } from './helpers';

const setup = callerPerTest();

/** Resolves once the run has left "running" (resume launches on the next turn). */
async function settled(s: Services, runId: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  await s.runs.waitStored(runId);
}

describe('debugging a run', () => {
  it('cancelling a paused run ends it as cancelled, with the event that says so', async () => {
    const { caller, s } = setup();
    const { id } = await caller.graph.import({ doc: example('single-prompt') });
    const { runId } = await caller.run.start({
      graphId: id,
      input: { question: 'q' },
      options: { interruptBefore: ['output'] },
    });
    await s.runs.waitStored(runId);
    expect((await caller.run.get({ runId })).status).toBe('interrupted');

    expect(await caller.run.cancel({ runId })).toEqual({ cancelled: true });
    await settled(s, runId);
    const run = await caller.run.get({ runId });
    expect(run.status).toBe('cancelled');
    expect(run.error?.code).toBe('cancelled');
    const events = await collectEvents(s, runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    const last = events.at(-1);
    expect(last?.type).toBe('run_failed');
    expect(last?.type === 'run_failed' && last.error.code).toBe('cancelled');
    await expect(caller.run.resume({ runId })).rejects.toThrow(/only a paused run/);
    // A second cancel has nothing to do.
    expect(await caller.run.cancel({ runId })).toEqual({ cancelled: false });
  });

  it('a resumed run numbers its checkpoints after the ones before the pause, and steps forward', async () => {
    const { caller, s } = setup();
    const { id } = await caller.graph.import({ doc: example('classify-and-route') });
    const { runId } = await caller.run.start({
      graphId: id,
      input: { ticket: 'I was double charged' },
      options: { interruptAfter: ['classify'] },
    });
    await s.runs.waitStored(runId);
    const paused = await caller.run.checkpoints({ runId });
    expect(paused.length).toBeGreaterThanOrEqual(1);

    // Step: runs one block (the routed branch), then pauses again.
    await caller.run.resume({ runId, step: true });
    await settled(s, runId);
    expect((await caller.run.get({ runId })).status).toBe('interrupted');
    const stepped = await caller.run.checkpoints({ runId });
    expect(stepped.length).toBeGreaterThan(paused.length);
    const steps = stepped.map((c) => c.step);
    expect(steps).toEqual(steps.map((_, i) => i));
    expect(new Set(stepped.map((c) => c.id)).size).toBe(stepped.length);
    // The latest checkpoint is past the routed branch: only the output is left.
    expect(stepped.at(-1)?.frontier.map((f) => f.block)).toEqual(['output']);

    await caller.run.resume({ runId });
    await settled(s, runId);
    expect((await caller.run.get({ runId })).status).toBe('finished');
    const started = (await collectEvents(s, runId))
      .filter((e) => e.type === 'block_started')
      .map((e) => (e as { blockId: string }).blockId);
    // Every block ran once: no resume went back to an earlier checkpoint.
    expect(started.filter((b) => b === 'classify')).toHaveLength(1);
    expect(started.filter((b) => b === 'output')).toHaveLength(1);
  });
});
