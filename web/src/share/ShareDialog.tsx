import './share.css';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';
import { toast } from '../app/feedback';
import { sharePath } from '../app/router';
import { useRun } from '../run/context';
import { fmtTime } from '../run/format';
import { isTerminalPhase } from '../run/run-state';

type Link = Awaited<ReturnType<typeof api.share.list.query>>[number];

function linkUrl(id: string): string {
  return `${location.origin}${sharePath(id)}`;
}

async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast('Link copied', 'success');
  } catch {
    // The clipboard needs permission (or a secure origin); the link is selectable in the field.
    toast('Could not copy: select the link and copy it by hand.', 'error');
  }
}

/** "Share": create a link to the saved graph version or to the shown run; list links and revoke them. */
function ShareDialog({
  graphId,
  version,
  onClose,
}: {
  graphId: string;
  version: number;
  onClose: () => void;
}) {
  const runId = useRun((s) => s.runId);
  const phase = useRun((s) => s.live?.phase);
  const [links, setLinks] = useState<readonly Link[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const reload = useCallback(() => {
    api.share.list.query({ graphId }).then(setLinks, (e: unknown) => setError(errorMessage(e)));
  }, [graphId]);
  useEffect(reload, [reload]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const runEnded = phase !== undefined && isTerminalPhase(phase);
  const runNote = !runId
    ? 'No run is shown: open one from History to share it.'
    : runEnded
      ? undefined
      : 'The shown run has not ended yet: share it once it has.';

  return (
    <div className="modal-backdrop">
      <div
        className="modal share-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="share-title"
        data-testid="share-dialog"
      >
        <h2 id="share-title">Share</h2>
        <p className="field-hint">
          Anyone with a link sees a read-only copy (no access token needed) and can fork it. Runs cannot be
          started from a link.
        </p>
        <div className="row">
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => void act(() => api.share.createForGraph.mutate({ graphId, version }))}
            data-testid="share-create-graph"
          >
            Share graph (v{version})
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy || !runId || !runEnded}
            title={runNote}
            onClick={() => runId && void act(() => api.share.createForRun.mutate({ runId }))}
            data-testid="share-create-run"
          >
            Share run
          </button>
        </div>
        {runNote && <p className="field-hint">{runNote}</p>}
        {error && (
          <p className="field-error" role="alert" data-testid="share-error">
            {error}
          </p>
        )}
        <h3 className="panel-title">Links</h3>
        {links === undefined ? (
          <p className="field-hint">Loading…</p>
        ) : links.length === 0 ? (
          <p className="field-hint" data-testid="share-none">
            No links yet.
          </p>
        ) : (
          <ul className="share-links">
            {links.map((l) => (
              <li
                key={l.id}
                data-testid="share-link-row"
                data-kind={l.kind}
                data-revoked={l.revokedAt !== null}
                data-share-id={l.id}
              >
                <span className="tag">
                  {l.kind === 'run' ? `run ${l.runId ?? ''}` : `graph v${l.graphVersion}`}
                </span>
                <span className="field-hint">{fmtTime(l.createdAt)}</span>
                {l.revokedAt !== null ? (
                  <span className="field-hint" data-testid="share-link-revoked">
                    revoked
                  </span>
                ) : (
                  <>
                    <input
                      className="input mono"
                      readOnly
                      aria-label="Share link"
                      value={linkUrl(l.id)}
                      onFocus={(e) => e.target.select()}
                      data-testid="share-link-url"
                    />
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void copy(linkUrl(l.id))}
                      data-testid="share-link-copy"
                    >
                      Copy
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      disabled={busy}
                      onClick={() => void act(() => api.share.revoke.mutate({ id: l.id }))}
                      data-testid="share-link-revoke"
                    >
                      Revoke
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="share-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

/** The toolbar's Share button and its dialog. */
export function ShareButton({ graphId, version }: { graphId: string; version: number }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => setOpen(true)}
        title="Share the graph or the shown run as a read-only link"
        data-testid="share-open"
      >
        Share
      </button>
      {open && <ShareDialog graphId={graphId} version={version} onClose={close} />}
    </>
  );
}
