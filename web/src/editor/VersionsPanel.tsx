import { useEffect, useState } from 'react';
import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';

type VersionRow = Awaited<ReturnType<typeof api.graph.versions.query>>[number];

/** The saved versions of a graph, newest first, each restorable as a new version. */
export function VersionsPanel({
  graphId,
  current,
  refreshKey,
  onRestore,
  onClose,
}: {
  graphId: string;
  /** The version the editor was loaded from or last saved as. */
  current: number;
  refreshKey: number;
  onRestore: (version: number) => void;
  onClose: () => void;
}) {
  const [rows, setRows] = useState<readonly VersionRow[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey reloads the list after a save
  useEffect(() => {
    let live = true;
    api.graph.versions.query({ id: graphId }).then(
      (r) => live && setRows([...r].sort((a, b) => b.version - a.version)),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [graphId, refreshKey]);

  return (
    <aside className="versions" aria-label="Version history" data-testid="versions-panel">
      <header className="form-head">
        <h2 className="panel-title">Version history</h2>
        <button type="button" className="btn btn-small" onClick={onClose} aria-label="Close version history">
          ✕
        </button>
      </header>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {!rows && !error && <p className="field-hint">Loading…</p>}
      <ol className="version-list">
        {rows?.map((v) => (
          <li
            key={v.version}
            className={v.version === current ? 'is-current' : undefined}
            data-testid={`version-${v.version}`}
          >
            <div>
              <strong>v{v.version}</strong>
              {v.version === current && <span className="tag">current</span>}
              {v.hash.startsWith('draft:') && (
                <span className="tag tag-warn" title="Saved with errors: it cannot run until they are fixed">
                  draft
                </span>
              )}
            </div>
            <div className="field-hint">
              {new Date(v.createdAt).toLocaleString()} · {v.blockCount} block{v.blockCount === 1 ? '' : 's'}
            </div>
            {v.version !== current && (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => onRestore(v.version)}
                data-testid={`restore-${v.version}`}
                aria-label={`Restore version ${v.version}`}
              >
                Restore
              </button>
            )}
          </li>
        ))}
      </ol>
    </aside>
  );
}
