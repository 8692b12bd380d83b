import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';
import { confirmDialog, downloadText, fileNameFor, readJsonFile, toast } from './feedback';
import { graphPath, navigate } from './router';

type GraphSummary = Awaited<ReturnType<typeof api.graph.list.query>>[number];

function when(d: Date | string | number): string {
  const date = d instanceof Date ? d : new Date(d);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

function RenameCell({ graph, onDone }: { graph: GraphSummary; onDone: () => void }) {
  const [name, setName] = useState(graph.name);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.graph.rename.mutate({ id: graph.id, name });
      onDone();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  return (
    <form onSubmit={submit} className="row">
      <input
        className="input"
        aria-label="New name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        data-testid="rename-input"
        // biome-ignore lint/a11y/noAutofocus: the rename field appears because the person asked to rename
        autoFocus
      />
      <button type="submit" className="btn btn-small btn-primary">
        Save
      </button>
      <button type="button" className="btn btn-small" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** The list of graphs: create, import, open, rename, export, delete. */
export function GraphListPage() {
  const [graphs, setGraphs] = useState<readonly GraphSummary[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<string | undefined>();
  const fileRef = useRef<HTMLInputElement>(null);

  const refresh = useCallback(() => {
    api.graph.list.query().then(
      (list) => {
        setGraphs([...list].sort((a, b) => +new Date(b.updatedAt) - +new Date(a.updatedAt)));
        setError(undefined);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);
  useEffect(() => refresh(), [refresh]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await api.graph.create.mutate({ name: name.trim() || 'Untitled graph' });
      await navigate(graphPath(r.id));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const doc = await readJsonFile(file);
      const r = await api.graph.import.mutate({ doc });
      const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
      toast(
        errors > 0
          ? `Imported ${file.name} with ${errors} problem${errors === 1 ? '' : 's'} to fix`
          : `Imported ${file.name}`,
        errors > 0 ? 'info' : 'success',
      );
      await navigate(graphPath(r.id));
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  const remove = async (g: GraphSummary) => {
    const ok = await confirmDialog({
      title: `Delete “${g.name}”?`,
      message: `All ${g.versionCount} version${g.versionCount === 1 ? '' : 's'} of this graph are deleted. This cannot be undone.`,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!ok) return;
    try {
      await api.graph.delete.mutate({ id: g.id });
      toast(`Deleted “${g.name}”`, 'success');
      refresh();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const exportGraph = async (g: GraphSummary) => {
    try {
      const doc = await api.graph.export.query({ id: g.id });
      downloadText(fileNameFor(g.name), JSON.stringify(doc, null, 2));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  return (
    <main className="list-page" data-testid="graph-list-page">
      <div className="list-head">
        <h2>Graphs</h2>
        <form className="row" onSubmit={create}>
          <input
            className="input"
            placeholder="New graph name"
            aria-label="New graph name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="new-graph-name"
          />
          <button type="submit" className="btn btn-primary" data-testid="create-graph">
            New graph
          </button>
          <label className="btn">
            Import JSON…
            <input
              ref={fileRef}
              type="file"
              accept="application/json,.json"
              className="visually-hidden"
              data-testid="import-file"
              onChange={(e) => void importFile(e.target.files?.[0])}
            />
          </label>
        </form>
      </div>
      {error && (
        <p className="field-error" role="alert">
          Could not load the graphs: {error}
        </p>
      )}
      {graphs && graphs.length === 0 && (
        <p className="empty">
          No graphs yet. Create one, or import a graph document (for example one from examples/).
        </p>
      )}
      {graphs && graphs.length > 0 && (
        <table className="graph-table" data-testid="graph-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Versions</th>
              <th>Updated</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {graphs.map((g) => (
              <tr key={g.id} data-testid={`graph-row-${g.id}`}>
                <td>
                  {renaming === g.id ? (
                    <RenameCell
                      graph={g}
                      onDone={() => {
                        setRenaming(undefined);
                        refresh();
                      }}
                    />
                  ) : (
                    <a
                      href={graphPath(g.id)}
                      className="graph-link"
                      onClick={(e) => {
                        e.preventDefault();
                        void navigate(graphPath(g.id));
                      }}
                    >
                      {g.name}
                    </a>
                  )}
                </td>
                <td>
                  v{g.latestVersion} · {g.versionCount} saved
                </td>
                <td>{when(g.updatedAt)}</td>
                <td className="row actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setRenaming(g.id)}
                    aria-label={`Rename ${g.name}`}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => void exportGraph(g)}
                    aria-label={`Export ${g.name}`}
                  >
                    Export
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    onClick={() => void remove(g)}
                    aria-label={`Delete ${g.name}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
