import { useEffect, useRef, useState } from 'react';
import { useRun, useRunStore } from './context';
import { fmtMs } from './format';

/** Replays a run's trace on the canvas: play it back in a few seconds, or scrub to any moment. */
export function ReplayControls() {
  const store = useRunStore();
  const start = useRun((s) => s.live?.startedAt);
  const end = useRun((s) => s.live?.endedAt ?? s.live?.lastEventAt);
  const replayAt = useRun((s) => s.replayAt);
  const [playing, setPlaying] = useState(false);
  const cursor = useRef(0);

  useEffect(() => {
    if (!playing || start === undefined || end === undefined) return;
    const span = Math.max(1, end - start);
    // Real time for short runs, squeezed into 8 s for long ones.
    const step = (span / Math.min(Math.max(span, 2_000), 8_000)) * 50;
    cursor.current = start;
    let done = false;
    const t = setInterval(() => {
      cursor.current += step;
      if (cursor.current >= end) {
        clearInterval(t);
        done = true;
        setPlaying(false);
        store.getState().actions.setReplay(undefined);
        return;
      }
      store.getState().actions.setReplay(cursor.current);
    }, 50);
    return () => {
      clearInterval(t);
      // Unmounted mid-replay (another tab): show the run as it is again.
      if (!done) store.getState().actions.setReplay(undefined);
    };
  }, [playing, start, end, store]);

  if (start === undefined || end === undefined) return null;
  return (
    <span className="replay" data-testid="replay">
      <button
        type="button"
        className="btn btn-small"
        onClick={() => {
          if (playing || replayAt !== undefined) {
            setPlaying(false);
            store.getState().actions.setReplay(undefined);
          } else setPlaying(true);
        }}
        data-testid="replay-toggle"
      >
        {playing || replayAt !== undefined ? '■ Stop replay' : '▶ Replay'}
      </button>
      <input
        type="range"
        aria-label="Replay position"
        min={start}
        max={end}
        step={Math.max(1, (end - start) / 500)}
        value={replayAt ?? end}
        onChange={(e) => {
          setPlaying(false);
          const v = Number(e.target.value);
          store.getState().actions.setReplay(v >= end ? undefined : v);
        }}
        data-testid="replay-scrub"
      />
      {replayAt !== undefined && <span className="field-hint">at +{fmtMs(replayAt - start)}</span>}
    </span>
  );
}
