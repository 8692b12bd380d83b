import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { defaultModelOf, useProviders } from '../api/providers';
import { confirmDialog, downloadText, fileNameFor } from '../app/feedback';
import { navigate, setNavigationGuard } from '../app/router';
import { Breadcrumbs } from '../canvas/Breadcrumbs';
import { Canvas } from '../canvas/Canvas';
import '../estimate/estimate.css';
import { Palette } from '../canvas/Palette';
import { BlockHistory } from '../estimate/BlockHistory';
import { EstimateProvider } from '../estimate/context';
import { EstimateBar } from '../estimate/EstimateBar';
import { createEstimateStore } from '../estimate/estimate-store';
import { useEstimateFeed } from '../estimate/use-estimate-feed';
import { Inspector } from '../inspector/Inspector';
import { RunProvider } from '../run/context';
import { RunDock } from '../run/RunDock';
import { createRunController } from '../run/run-controller';
import { createRunStore } from '../run/run-store';
import { EditorStoreProvider } from '../store/context';
import { createEditorStore, type EditorStore, isDirty } from '../store/store';
import { useGraphCommands } from './graph-commands';
import { ProblemsPanel } from './ProblemsPanel';
import { ShortcutsHelp } from './ShortcutsHelp';
import { Toolbar } from './Toolbar';
import { useGraphSession } from './use-graph-session';
import { useLiveValidation } from './use-live-validation';
import { useEditorShortcuts } from './use-shortcuts';
import { VersionsPanel } from './VersionsPanel';

const LEAVE_MESSAGE = 'This graph has unsaved changes. Leave and lose them?';

function useUnsavedGuard(store: EditorStore): void {
  useEffect(() => {
    setNavigationGuard(() => (isDirty(store.getState()) ? LEAVE_MESSAGE : null));
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!isDirty(store.getState())) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      setNavigationGuard(null);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [store]);
}

/** Runs use the saved version: save unsaved changes first, after asking. */
async function saveBeforeRun(store: EditorStore, save: () => Promise<void>): Promise<boolean> {
  if (!isDirty(store.getState())) return true;
  const ok = await confirmDialog({
    title: 'Save before running?',
    message: 'Runs use the saved version. Save your changes as a new version and run that?',
    confirmLabel: 'Save and run',
  });
  if (!ok) return false;
  await save();
  return !isDirty(store.getState());
}

function EditorWorkspace({ id, store }: { id: string; store: EditorStore }) {
  const { session, saving, versionsKey, save, restore, rename, replaceFrom } = useGraphSession(id, store);
  const saveRef = useRef(save);
  saveRef.current = save;
  const runStore = useMemo(() => createRunStore({ editor: store }), [store]);
  const runController = useMemo(
    () =>
      createRunController({
        graphId: id,
        store: runStore,
        ensureSaved: () => saveBeforeRun(store, () => saveRef.current()),
      }),
    [id, store, runStore],
  );
  useEffect(() => () => runController.dispose(), [runController]);
  const providers = useProviders();
  const defaultModel = useMemo(
    () => (providers.status === 'ready' ? defaultModelOf(providers.providers) : undefined),
    [providers],
  );
  const [showVersions, setShowVersions] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const closeHelp = useCallback(() => setShowHelp(false), []);
  const estimates = useMemo(() => createEstimateStore(), []);
  const commands = useGraphCommands();
  useEstimateFeed(estimates, id, session.phase === 'ready' ? session.version : undefined);
  useLiveValidation(store);
  useUnsavedGuard(store);
  useEditorShortcuts({
    save: () => void save(),
    layout: () => void commands.layout(),
    group: commands.group,
    ungroup: commands.ungroup,
    help: () => setShowHelp(true),
  });
  const title = session.phase === 'ready' || session.phase === 'invalid' ? session.name : undefined;
  useEffect(() => {
    document.title = title ? `${title} · Graphwright` : 'Graphwright';
    return () => {
      document.title = 'Graphwright';
    };
  }, [title]);

  if (session.phase === 'loading') return <p className="page-message">Loading graph…</p>;
  if (session.phase === 'error')
    return (
      <div className="page-message" role="alert" data-testid="editor-error">
        <p>
          {session.notFound
            ? 'This graph does not exist (it may have been deleted).'
            : `Could not open the graph: ${session.message}`}
        </p>
        <button type="button" className="btn" onClick={() => void navigate('/')}>
          Back to the graphs
        </button>
      </div>
    );
  if (session.phase === 'invalid')
    return (
      <div className="page-message" role="alert" data-testid="editor-invalid">
        <p>
          “{session.name}” was stored with a document that does not match the graph schema ({session.message}
          ), so it cannot be edited on the canvas. Download it, fix it, and import it again.
        </p>
        <button
          type="button"
          className="btn"
          onClick={() => downloadText(fileNameFor(session.name), JSON.stringify(session.doc, null, 2))}
        >
          Download JSON
        </button>
      </div>
    );

  return (
    <RunProvider store={runStore} controller={runController}>
      <EstimateProvider store={estimates}>
        <div className="editor" data-testid="editor">
          <Toolbar
            graphId={id}
            name={session.name}
            version={session.version}
            saving={saving}
            showVersions={showVersions}
            onSave={() => void save()}
            onRename={rename}
            onToggleVersions={() => setShowVersions((v) => !v)}
            onReplace={replaceFrom}
            commands={commands}
          />
          <div className="editor-body">
            <Palette defaultModel={defaultModel} />
            <div className="editor-center">
              <EstimateBar />
              <Breadcrumbs graphName={session.name} />
              <Canvas
                defaultModel={defaultModel}
                onLayout={() => void commands.layout()}
                onHelp={() => setShowHelp(true)}
              />
              <BlockHistory graphId={id} />
              <ProblemsPanel />
              <RunDock graphId={id} editorVersion={session.version} />
            </div>
            {showVersions && (
              <VersionsPanel
                graphId={id}
                current={session.version}
                refreshKey={versionsKey}
                onRestore={(v) => void restore(v)}
                onClose={() => setShowVersions(false)}
              />
            )}
            <Inspector providers={providers} />
          </div>
          {showHelp && <ShortcutsHelp onClose={closeHelp} />}
        </div>
      </EstimateProvider>
    </RunProvider>
  );
}

/** One graph open in the editor (`/graphs/:id`). A new store per graph. */
export function EditorPage({ id }: { id: string }) {
  const store = useMemo(() => createEditorStore(), []);
  return (
    <EditorStoreProvider store={store}>
      <ReactFlowProvider>
        <EditorWorkspace id={id} store={store} />
      </ReactFlowProvider>
    </EditorStoreProvider>
  );
}
