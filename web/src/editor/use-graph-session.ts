import { type GraphDocument, graphDocumentSchema } from '@graphwright/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, isNotFound } from '../api/errors';
import { api } from '../api/trpc';
import { confirmDialog, toast } from '../app/feedback';
import { toDocument } from '../store/changes';
import { type EditorStore, isDirty } from '../store/store';

export type Session =
  | { phase: 'loading' }
  | { phase: 'error'; message: string; notFound: boolean }
  /** The stored document does not match the schema, so it cannot be edited on the canvas. */
  | { phase: 'invalid'; name: string; message: string; doc: unknown }
  | { phase: 'ready'; name: string; version: number };

function schemaProblem(doc: unknown): { ok: true; doc: GraphDocument } | { ok: false; message: string } {
  const r = graphDocumentSchema.safeParse(doc);
  if (r.success) return { ok: true, doc: r.data };
  const issue = r.error.issues[0];
  return {
    ok: false,
    message: issue
      ? `${issue.path.join('.') || 'document'}: ${issue.message}`
      : 'It does not match the graph schema.',
  };
}

function errorsIn(d: readonly { severity: string }[]): number {
  return d.filter((x) => x.severity === 'error').length;
}

/** Loading, saving, restoring and renaming one graph, with the editor store as the working copy. */
export function useGraphSession(id: string, store: EditorStore) {
  const [session, setSession] = useState<Session>({ phase: 'loading' });
  const [saving, setSaving] = useState(false);
  const [versionsKey, setVersionsKey] = useState(0);
  const savingRef = useRef(false);

  const load = useCallback(
    async (version?: number) => {
      try {
        const g = await api.graph.get.query({ id, version });
        const checked = schemaProblem(g.doc);
        if (!checked.ok) {
          setSession({ phase: 'invalid', name: g.name, message: checked.message, doc: g.doc });
          return;
        }
        store.getState().actions.load(checked.doc, { saved: true });
        setSession({ phase: 'ready', name: g.name, version: g.version });
      } catch (e) {
        setSession({ phase: 'error', message: errorMessage(e), notFound: isNotFound(e) });
      }
    },
    [id, store],
  );

  useEffect(() => {
    setSession({ phase: 'loading' });
    void load();
  }, [load]);

  const save = useCallback(async () => {
    if (savingRef.current || session.phase !== 'ready') return;
    savingRef.current = true;
    setSaving(true);
    // The whole document, with any composite open on the canvas written back into it.
    const snap = store.getState().actions.rootSnapshot();
    try {
      const r = await api.graph.save.mutate({ id, doc: toDocument(snap) });
      store.getState().actions.markSaved(snap);
      setSession((s) => (s.phase === 'ready' ? { ...s, version: r.version } : s));
      setVersionsKey((k) => k + 1);
      const errors = errorsIn(r.diagnostics);
      if (!r.created) toast(`No changes since version ${r.version}`);
      else if (errors > 0)
        toast(
          `Saved version ${r.version} as a draft: ${errors} error${errors === 1 ? '' : 's'} to fix before it can run`,
          'info',
        );
      else toast(`Saved version ${r.version}`, 'success');
    } catch (e) {
      toast(`Not saved: ${errorMessage(e)}`, 'error', 8000);
    } finally {
      savingRef.current = false;
      setSaving(false);
    }
  }, [id, store, session.phase]);

  /** Makes an older version the newest again (a new version, so history is never rewritten). */
  const restore = useCallback(
    async (version: number) => {
      if (isDirty(store.getState())) {
        const ok = await confirmDialog({
          title: `Restore version ${version}?`,
          message:
            'Your unsaved changes will be lost. Save them first if you want to keep them as a version.',
          confirmLabel: 'Discard and restore',
          danger: true,
        });
        if (!ok) return;
      }
      try {
        const old = await api.graph.get.query({ id, version });
        const checked = schemaProblem(old.doc);
        if (!checked.ok) {
          toast(`Version ${version} cannot be edited here: ${checked.message}`, 'error', 8000);
          return;
        }
        const r = await api.graph.save.mutate({ id, doc: checked.doc });
        store.getState().actions.load(checked.doc, { saved: true });
        setSession((s) => (s.phase === 'ready' ? { ...s, version: r.version } : s));
        setVersionsKey((k) => k + 1);
        toast(
          r.created
            ? `Restored version ${version} as version ${r.version}`
            : `Version ${version} is already the latest`,
          'success',
        );
      } catch (e) {
        toast(`Not restored: ${errorMessage(e)}`, 'error', 8000);
      }
    },
    [id, store],
  );

  const rename = useCallback(
    async (name: string) => {
      try {
        await api.graph.rename.mutate({ id, name });
        setSession((s) => (s.phase === 'ready' || s.phase === 'invalid' ? { ...s, name: name.trim() } : s));
        return true;
      } catch (e) {
        toast(errorMessage(e), 'error');
        return false;
      }
    },
    [id],
  );

  /** Replaces the document with one from a file, as an undoable edit. */
  const replaceFrom = useCallback(
    (raw: unknown) => {
      const checked = schemaProblem(raw);
      if (!checked.ok) {
        toast(`Not a graph document: ${checked.message}`, 'error', 8000);
        return;
      }
      store.getState().actions.apply([{ type: 'document.replace', doc: checked.doc }]);
      toast(`Loaded ${checked.doc.blocks.length} blocks: save to keep them as a version`);
    },
    [store],
  );

  return { session, saving, versionsKey, save, restore, rename, replaceFrom, reload: load };
}
