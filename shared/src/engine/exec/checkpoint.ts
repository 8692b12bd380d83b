import type { CompiledBlock } from '../../graph/compiled';
import type {
  CheckpointRecord,
  CheckpointStore,
  FrontierItem,
  ResumePoint,
  StateDelta,
  StateSnapshot,
} from './context';
import type { RunCtx } from './run-ctx';
import type { Activation, Scope } from './scope';

/**
 * Writes a run's checkpoints: after each step, only what changed (out entries, vars, visit counts)
 * and the frontier; a full snapshot when the deltas written since the last snapshot have grown
 * larger than a snapshot would be. The run input is stored once, with the run, never here.
 */
export class CheckpointWriter {
  private step: number;
  private sinceSnapshot = 0;
  private readonly sizes = new Map<string, number>();
  private lastIterations = 0;
  totalBytes = 0;
  written = 0;

  constructor(
    private readonly store: CheckpointStore,
    private readonly run: RunCtx,
    private readonly newId: (step: number) => string,
    /** A resumed run continues its own numbering, so its checkpoints list in the order written. */
    firstStep = 0,
  ) {
    this.step = firstStep;
  }

  write(scope: Scope, pausedAt?: string): CheckpointRecord {
    const out: Record<string, unknown> = {};
    const visits: Record<string, number> = {};
    let deltaBytes = 0;
    for (const i of scope.changedOut) {
      const b = scope.g.blocks[i] as CompiledBlock;
      // The input block's output is the run input, which is stored once with the run.
      if (b.type === 'input') continue;
      const v = scope.out.get(i);
      out[b.id] = v;
      visits[b.id] = scope.visits[i] ?? 0;
      const size = (JSON.stringify(v) ?? 'null').length + b.id.length + 4;
      this.sizes.set(`o:${b.id}`, size);
      deltaBytes += size;
    }
    const vars: Record<string, unknown> = {};
    for (const name of scope.changedVars) {
      const v = scope.vars[name];
      vars[name] = v;
      const size = (JSON.stringify(v) ?? 'null').length + name.length + 4;
      this.sizes.set(`v:${name}`, size);
      deltaBytes += size;
    }
    scope.changedOut.clear();
    scope.changedVars.clear();
    let snapshotBytes = 0;
    for (const s of this.sizes.values()) snapshotBytes += s;
    const frontier = frontierOf(scope);
    const costUsd = this.run.costKnown ? this.run.cost : null;
    let kind: 'delta' | 'snapshot' = 'delta';
    let json: string;
    // Each writer starts with a snapshot, so a resumed run's chain never reaches into an earlier segment.
    if (this.written === 0 || this.sinceSnapshot + deltaBytes > snapshotBytes) {
      kind = 'snapshot';
      const snapOut = scope.outObject();
      delete snapOut[(scope.g.blocks[scope.g.inputIndex] as CompiledBlock).id];
      const snap: StateSnapshot = {
        out: snapOut,
        vars: scope.vars,
        visits: visitsOf(scope),
        iterations: this.run.iterations,
        costUsd,
      };
      json = JSON.stringify(snap);
      this.sinceSnapshot = 0;
    } else {
      const delta: StateDelta = {
        out,
        vars,
        visits,
        iterations: this.run.iterations - this.lastIterations,
        costUsd,
      };
      json = JSON.stringify(delta);
      this.sinceSnapshot += json.length;
    }
    this.lastIterations = this.run.iterations;
    const record: CheckpointRecord = {
      id: this.newId(this.step),
      runId: this.run.req.runId,
      step: this.step++,
      kind,
      json,
      frontier,
      nextSeq: this.run.seq + 1,
      pausedAt,
    };
    this.store.put(record);
    this.totalBytes += json.length;
    this.written++;
    this.run.emit({
      type: 'checkpoint_written',
      checkpointId: record.id,
      step: record.step,
      kind,
      bytes: json.length,
    });
    return record;
  }
}

function visitsOf(scope: Scope): Record<string, number> {
  const v: Record<string, number> = {};
  scope.visits.forEach((n, i) => {
    if (n > 0) v[(scope.g.blocks[i] as CompiledBlock).id] = n;
  });
  return v;
}

function frontierOf(scope: Scope): FrontierItem[] {
  const id = (i: number): string => (i < 0 ? '' : (scope.g.blocks[i] as CompiledBlock).id);
  const acts: Activation[] = [...scope.runningActs, ...scope.held, ...scope.waitingActivations()];
  return acts.map((a) => ({ block: id(a.block), from: id(a.from) }));
}

/** The state and frontier at a checkpoint: its latest snapshot with the deltas after it applied. */
export function materialize(
  records: readonly CheckpointRecord[],
  checkpointId: string,
): ResumePoint | undefined {
  const upto = records.findIndex((r) => r.id === checkpointId);
  if (upto < 0) return undefined;
  let base = upto;
  while (base >= 0 && records[base]?.kind !== 'snapshot') base--;
  if (base < 0) return undefined;
  const snap = JSON.parse((records[base] as CheckpointRecord).json) as StateSnapshot;
  const out = { ...snap.out };
  const vars = { ...snap.vars };
  const visits = { ...snap.visits };
  let iterations = snap.iterations;
  let costUsd = snap.costUsd;
  for (let i = base + 1; i <= upto; i++) {
    const d = JSON.parse((records[i] as CheckpointRecord).json) as StateDelta;
    Object.assign(out, d.out);
    Object.assign(vars, d.vars);
    Object.assign(visits, d.visits);
    iterations += d.iterations;
    costUsd = d.costUsd;
  }
  const rec = records[upto] as CheckpointRecord;
  return {
    state: { out, vars, visits, iterations, costUsd },
    frontier: rec.frontier,
    skipInterrupt: rec.pausedAt,
    resumedFrom: { runId: rec.runId, checkpointId: rec.id },
  };
}

/** Checkpoints in memory (tests and the CLI); serialised bytes are what a store would keep. */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly byRun = new Map<string, CheckpointRecord[]>();
  private readonly byId = new Map<string, CheckpointRecord>();
  put(record: CheckpointRecord): void {
    const list = this.byRun.get(record.runId) ?? [];
    list.push(record);
    this.byRun.set(record.runId, list);
    this.byId.set(record.id, record);
  }
  list(runId: string): readonly CheckpointRecord[] {
    return this.byRun.get(runId) ?? [];
  }
  get(id: string): CheckpointRecord | undefined {
    return this.byId.get(id);
  }
}
