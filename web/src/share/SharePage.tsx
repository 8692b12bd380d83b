import '../run/run.css';
import './share.css';
import {
  type GraphDocument,
  type GraphEstimate,
  graphDocumentSchema,
  type RunEvent,
} from '@graphwright/shared';
import { TRPCClientError } from '@trpc/client';
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';
import { toast } from '../app/feedback';
import { graphPath, navigate } from '../app/router';
import { Canvas } from '../canvas/Canvas';
import { BlockRunPanel } from '../run/BlockRunView';
import '../estimate/estimate.css';
import { EstimateProvider } from '../estimate/context';
import { createEstimateStore } from '../estimate/estimate-store';
import { RunProvider, useRun } from '../run/context';
import { fmtJson, fmtMs, fmtUsd } from '../run/format';
import { RunSummary } from '../run/RunPanel';
import { createRunStore, type EstimateInfo } from '../run/run-store';
import { Timeline } from '../run/Timeline';
import { EditorStoreProvider, useEditor } from '../store/context';
import { createEditorStore } from '../store/store';

type Opened = Awaited<ReturnType<typeof api.share.open.query>>;

type View =
  | { phase: 'loading' }
  | { phase: 'gone'; revoked: boolean; message: string }
  | { phase: 'ready'; opened: Opened; doc: GraphDocument | undefined };

/** The estimate stored with a run link (as the author saw it), when it has the expected shape. */
function storedGraphEstimate(snapshot: unknown): GraphEstimate | undefined {
  const est = (snapshot as { estimate?: { blocks?: unknown; totals?: unknown } } | null)?.estimate;
  if (!est || !Array.isArray(est.blocks) || typeof est.totals !== 'object' || est.totals === null)
    return undefined;
  return est as GraphEstimate;
}

function asRunEstimate(est: GraphEstimate, version: number): EstimateInfo {
  return { version, blocks: new Map(est.blocks.map((b) => [b.scopedId, b])), totals: est.totals };
}

function useSharedView(id: string): View {
  const [view, setView] = useState<View>({ phase: 'loading' });
  useEffect(() => {
    let live = true;
    api.share.open.query({ id }).then(
      (opened) => {
        if (!live) return;
        const r = graphDocumentSchema.safeParse(opened.graph.doc);
        setView({ phase: 'ready', opened, doc: r.success ? r.data : undefined });
      },
      (e: unknown) => {
        if (!live) return;
        const code =
          e instanceof TRPCClientError ? (e.data as { code?: string } | undefined)?.code : undefined;
        // A malformed id fails validation: to the viewer that is simply a link that does not exist.
        const message =
          code === 'BAD_REQUEST'
            ? 'This share link does not exist: check that it was copied whole.'
            : errorMessage(e);
        setView({ phase: 'gone', revoked: code === 'FORBIDDEN', message });
      },
    );
    return () => {
      live = false;
    };
  }, [id]);
  return view;
}

function ForkButton({ shareId }: { shareId: string }) {
  const [busy, setBusy] = useState(false);
  const fork = async () => {
    setBusy(true);
    try {
      const g = await api.share.fork.mutate({ id: shareId });
      await navigate(graphPath(g.id));
    } catch (e) {
      toast(`Not forked: ${errorMessage(e)}`, 'error', 8000);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="btn btn-primary"
      disabled={busy}
      onClick={() => void fork()}
      title="Copy this graph into a new graph of your own, and open it in the editor"
      data-testid="share-fork"
    >
      Fork to edit
    </button>
  );
}

/** Expected figures per block, as stored with the link (the estimate overlay the author saw). */
function StoredOverlay() {
  const estimate = useRun((s) => s.estimate);
  const names = useEditor((s) => s.blockLookup);
  if (!estimate) return null;
  const rows = [...estimate.blocks.values()].filter((b) => b.path.length === 0 && b.type !== 'input');
  return (
    <section className="attempt-section" data-testid="share-overlay">
      <h4>Estimate when shared</h4>
      <p className="field-hint" data-testid="share-overlay-totals">
        Expected per run: p50 {fmtMs(estimate.totals.latencyP50Ms)}, p95 {fmtMs(estimate.totals.latencyP95Ms)}
        , cost {fmtUsd(estimate.totals.costUsd)}
        {estimate.totals.costComplete ? '' : ' (partial)'}.
      </p>
      <table className="kv-table">
        <tbody>
          {rows.map((b) => (
            <tr key={b.scopedId} data-testid={`share-overlay-${b.blockId}`}>
              <td>{names.get(b.blockId)?.name || b.blockId}</td>
              <td>{b.hasHistory ? `p50 ${fmtMs(b.latencyP50Ms)}` : 'no history'}</td>
              <td>{b.costUsd === null ? '' : fmtUsd(b.costUsd)}</td>
              <td className="field-hint">{b.samples} samples</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function first(set: ReadonlySet<string>): string | undefined {
  for (const x of set) return x;
  return undefined;
}

/** The right-hand panel: the selected block (its settings as stored, and its part of the run), else the run. */
function SidePanel({ isRun, version }: { isRun: boolean; version: number }) {
  const selected = useEditor((s) => (s.selectedBlocks.size === 1 ? first(s.selectedBlocks) : undefined));
  const block = useEditor((s) => (selected ? s.blockLookup.get(selected) : undefined));
  return (
    <aside className="inspector share-side" aria-label="Details" data-testid="share-side">
      {block ? (
        <div className="form">
          <h2 className="panel-title" data-testid="share-block-name">
            {block.name || block.id}
          </h2>
          {isRun && <BlockRunPanel id={block.id} />}
          <details>
            <summary>Settings (read-only)</summary>
            <pre className="pre" data-testid="share-block-settings">
              {fmtJson(block)}
            </pre>
          </details>
        </div>
      ) : (
        <div className="form">
          {isRun ? (
            <RunSummary editorVersion={version} />
          ) : (
            <p className="field-hint">
              A graph version, shared read-only. Select a block to see its settings.
            </p>
          )}
          <StoredOverlay />
        </div>
      )}
    </aside>
  );
}

function SharedWorkspace({
  shareId,
  opened,
  doc,
}: {
  shareId: string;
  opened: Opened;
  doc: GraphDocument | undefined;
}) {
  const isRun = opened.kind === 'run' && opened.run !== null;
  return (
    <div className="editor share-view" data-testid="share-view" data-kind={opened.kind}>
      <div className="toolbar">
        <span className="graph-name" data-testid="share-graph-name">
          {opened.graph.name}
        </span>
        <span className="tag">v{opened.graph.version}</span>
        <span className="tag" data-testid="share-readonly">
          read-only {isRun ? 'run' : 'graph'} link
        </span>
        {isRun && opened.run && <code className="run-id">{opened.run.id}</code>}
        <span className="toolbar-spacer" />
        <ForkButton shareId={shareId} />
      </div>
      {doc ? (
        <div className="editor-body">
          <div className="editor-center">
            <Canvas defaultModel={undefined} readOnly />
            {isRun && (
              <section className="run-dock is-open" aria-label="Run timeline" data-testid="share-trace">
                <div className="dock-body">
                  <Timeline />
                </div>
              </section>
            )}
          </div>
          <SidePanel isRun={isRun} version={opened.graph.version} />
        </div>
      ) : (
        <div className="page-message" data-testid="share-invalid">
          <p>This graph's stored document cannot be drawn here; fork it to see and fix it in the editor.</p>
          <pre className="pre">{fmtJson(opened.graph.doc)}</pre>
        </div>
      )}
    </div>
  );
}

/** A share link (`/share/:id`): a read-only view of a stored graph version or run, and "Fork to edit". */
export function SharePage({ id }: { id: string }) {
  const view = useSharedView(id);
  const store = useMemo(() => createEditorStore(), []);
  const runStore = useMemo(() => createRunStore({ editor: store }), [store]);
  const estimates = useMemo(() => createEstimateStore(), []);
  const opened = view.phase === 'ready' ? view.opened : undefined;
  const doc = view.phase === 'ready' ? view.doc : undefined;
  useEffect(() => {
    if (!opened || !doc) return;
    store.getState().actions.load(doc, { saved: true });
    const run = opened.run;
    if (opened.kind !== 'run' || !run) return;
    const actions = runStore.getState().actions;
    actions.show(run.id, opened.graph.version);
    for (const e of opened.events as RunEvent[]) actions.receive(e);
    actions.flush();
    actions.setConnection('ended');
    // The overlay as the author saw it when sharing: on the canvas badges and in the run views.
    const est = storedGraphEstimate(opened.snapshot);
    if (!est) return;
    actions.setEstimate(asRunEstimate(est, opened.graph.version));
    estimates.getState().actions.receive(opened.graph.version, est);
  }, [opened, doc, store, runStore, estimates]);
  useEffect(() => {
    document.title = opened ? `${opened.graph.name} (shared) · Graphwright` : 'Shared link · Graphwright';
    return () => {
      document.title = 'Graphwright';
    };
  }, [opened]);

  if (view.phase === 'loading') return <p className="page-message">Opening the shared link…</p>;
  if (view.phase === 'gone')
    return (
      <div className="page-message" role="alert" data-testid="share-gone" data-revoked={view.revoked}>
        <h2>{view.revoked ? 'This link was revoked' : 'This link does not work'}</h2>
        <p>{view.message}</p>
        <p className="field-hint">Ask whoever shared it for a new link.</p>
      </div>
    );
  return (
    <EditorStoreProvider store={store}>
      <RunProvider store={runStore} controller={undefined}>
        <EstimateProvider store={estimates}>
          <ReactFlowProvider>
            <SharedWorkspace shareId={id} opened={view.opened} doc={view.doc} />
          </ReactFlowProvider>
        </EstimateProvider>
      </RunProvider>
    </EditorStoreProvider>
  );
}
