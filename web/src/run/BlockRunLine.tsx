import { useRun, useRunClock } from './context';
import { fmtMs, fmtUsd } from './format';
import { blockCost, blockDuration, currentAttempt, liveLabel } from './run-state';

function tail(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > max ? `…${t.slice(-max)}` : t;
}

/**
 * The live line under a block on the canvas: elapsed time and retries while it runs, the streamed
 * tail of its tokens, then its duration and cost. Subscribes to its own block of the shown run
 * (`scoped`: its id in the run, "composite/id" inside an open composite).
 */
export function BlockRunLine({ id, scoped = id }: { id: string; scoped?: string }) {
  const b = useRun((s) => s.shown?.blocks.get(scoped));
  const bp = useRun((s) => s.breakpoints.get(id));
  const running = b?.status === 'running';
  const now = useRunClock(running, 100);
  const marks = bp && (
    <span className="bp-marks" data-testid={`bp-mark-${id}`}>
      {bp.before && <span title="Pauses before this block">⏸ before</span>}
      {bp.after && <span title="Pauses after this block">⏸ after</span>}
    </span>
  );
  if (!b) return marks ? <div className="block-run">{marks}</div> : null;
  const visit = b.visits[b.visits.length - 1];
  let text: string;
  let detail: string | undefined;
  switch (b.status) {
    case 'running': {
      const elapsed = visit ? now - visit.startedAt : undefined;
      text = `${liveLabel(b)}${elapsed !== undefined ? ` · ${fmtMs(Math.max(0, elapsed))}` : ''}`;
      const streaming = currentAttempt(b)?.text;
      if (streaming) detail = tail(streaming, 60);
      break;
    }
    case 'done': {
      const n = b.attempts.length;
      const cost = blockCost(b);
      text = [
        fmtMs(blockDuration(b)),
        cost !== undefined ? fmtUsd(cost) : undefined,
        n > 1 ? `${n} attempts` : undefined,
        b.visits.length > 1 ? `${b.visits.length} visits` : undefined,
      ]
        .filter(Boolean)
        .join(' · ');
      break;
    }
    case 'failed':
      text = b.error?.message ?? 'failed';
      break;
    case 'skipped':
      text = b.skipReason ?? 'skipped';
      break;
    default:
      text = 'waiting to run';
  }
  return (
    <div className={`block-run rs-${b.status}`} data-testid={`block-run-${id}`} title={text}>
      <div className="block-run-line" data-testid={`block-live-${id}`}>
        {text}
      </div>
      {marks}
      {detail && (
        <div className="block-run-stream" data-testid={`block-stream-${id}`}>
          {detail}
        </div>
      )}
    </div>
  );
}
