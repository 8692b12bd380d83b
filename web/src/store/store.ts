import type { BlockType, Diagnostic, GraphDocument, ModelRef } from '@graphwright/shared';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { applyGraphChanges, fromDocument, indexGraph, toDocument } from './changes';
import { type ClipboardPayload, copyPayload, preparePaste } from './clipboard';
import { BLOCK_LABELS, isValidId, newBlock, transitionIdFor, uniqueId } from './defaults';
import { type DiagnosticsIndex, EMPTY_DIAGNOSTICS, indexDiagnostics } from './diagnostics';
import { groupBlocks, ungroupBlock } from './grouping';
import { rewriteBlockRefs, rewriteTransitionRefs } from './refs';
import { childData, foldAndRemember, foldScopes, type ScopeFrame, writeBack } from './scope';
import type { ApplyOptions, BlockStatus, Dimensions, GraphChange, GraphData, GraphIndex, XY } from './types';

export interface EditorActions {
  /** Applies typed changes as one undo step (or merges into the last one, see ApplyOptions). Returns whether anything changed. */
  apply(changes: readonly GraphChange[], opts?: ApplyOptions): boolean;
  undo(): void;
  redo(): void;
  /** Ends the current coalescing run, so the next edit starts a new undo step. */
  endCoalescing(): void;
  /** Replaces the whole editor state with a document; `saved` marks it as what the server holds. */
  load(doc: GraphDocument, opts?: { saved?: boolean }): void;
  /** Marks a snapshot (default: the current document) as what the server holds. */
  markSaved(data?: GraphData): void;
  document(): GraphDocument;
  snapshot(): GraphData;

  setSelection(sel: { blocks?: Iterable<string>; transitions?: Iterable<string> }): void;
  /** Applies React Flow's select changes. */
  applySelection(kind: 'block' | 'transition', changes: readonly { id: string; selected: boolean }[]): void;
  selectAll(): void;
  clearSelection(): void;

  setMeasured(changes: readonly { id: string; dimensions: Dimensions }[]): void;
  setStatus(id: string, status: BlockStatus): void;
  setStatuses(entries: Iterable<readonly [string, BlockStatus]>): void;
  resetStatuses(): void;
  setDiagnostics(list: readonly Diagnostic[]): void;

  /** Adds a block of a type at a position; returns its id and selects it. */
  addBlock(type: BlockType, position: XY, model?: ModelRef): string;
  /** Adds a transition; returns its id (undefined when from/to are not blocks). */
  connect(from: string, to: string): string | undefined;
  /** Points an existing transition at other blocks. */
  reconnect(id: string, from: string, to: string): void;
  moveBlocks(moves: readonly { id: string; position: XY }[]): void;
  /** Renames a block id; transitions and `out.<id>` references everywhere follow. False when the id is invalid or taken. */
  renameBlock(id: string, next: string): boolean;
  removeElements(blockIds: Iterable<string>, transitionIds: Iterable<string>): void;
  deleteSelection(): void;
  copySelection(): ClipboardPayload | undefined;
  /** Pastes blocks with fresh ids, selects them, returns their ids. */
  paste(payload: ClipboardPayload, offset?: XY): string[];
  duplicateSelection(): string[];

  /** Opens a composite's nested graph for editing (its own undo history); false when not a composite. */
  openComposite(id: string): boolean;
  /** Closes open composites down to `depth` (0: the top-level graph), writing each back as one undo step. */
  closeScopes(depth: number): void;
  /** The top-level document's data, with open composites written back (what is saved). */
  rootSnapshot(): GraphData;
  /** Moves the selected blocks into a new composite; returns its id, or an error message to show. */
  groupSelection(): { id: string } | { error: string };
  /** Replaces a composite by the blocks inside it; returns an error message to show, or undefined. */
  ungroup(id: string): string | undefined;
}

export interface EditorState extends GraphData, GraphIndex, DiagnosticsIndex {
  /** Per-block run status; absent means idle. Not part of the document or of undo. */
  readonly status: ReadonlyMap<string, BlockStatus>;
  readonly selectedBlocks: ReadonlySet<string>;
  readonly selectedTransitions: ReadonlySet<string>;
  /** Node sizes measured by the canvas. */
  readonly measured: ReadonlyMap<string, Dimensions>;
  readonly past: readonly GraphData[];
  readonly future: readonly GraphData[];
  /** The snapshot the server holds; undefined for a document never saved. */
  readonly saved: GraphData | undefined;
  /** Composites opened for editing, outermost first ([] when the top-level graph is shown). */
  readonly scope: readonly ScopeFrame[];
  /** Scoped-id prefix of the shown graph: '' at the top, 'outer/inner/' inside composites. */
  readonly scopePrefix: string;
  readonly actions: EditorActions;
}

export type EditorStore = StoreApi<EditorState>;

export interface EditorStoreOptions {
  readonly doc?: GraphDocument;
  readonly saved?: boolean;
  readonly now?: () => number;
  readonly historyLimit?: number;
  /** Edits with the same coalesce key within this many ms merge into one undo step. */
  readonly coalesceMs?: number;
}

export const EMPTY_DOCUMENT: GraphDocument = {
  schemaVersion: 1,
  name: 'Untitled graph',
  blocks: [],
  transitions: [],
};

const NO_IDS: ReadonlySet<string> = new Set();
const NO_SCOPE: readonly ScopeFrame[] = [];

function prefixOf(scope: readonly ScopeFrame[]): string {
  return scope.length === 0 ? '' : `${scope.map((f) => f.blockId).join('/')}/`;
}

/** What belongs to the shown graph only and starts fresh when another graph is shown. */
function sceneReset(): Pick<EditorState, 'selectedBlocks' | 'selectedTransitions' | 'measured' | 'status'> {
  return { selectedBlocks: NO_IDS, selectedTransitions: NO_IDS, measured: new Map(), status: new Map() };
}

function pruneSet(set: ReadonlySet<string>, exists: (id: string) => boolean): ReadonlySet<string> {
  for (const id of set) {
    if (!exists(id)) return new Set([...set].filter(exists));
  }
  return set;
}

export function isDirty(
  s: Pick<EditorState, 'saved' | 'meta' | 'blocks' | 'transitions'> & { scope?: readonly ScopeFrame[] },
): boolean {
  const saved = s.saved;
  if (!saved) return true;
  const root = s.scope && s.scope.length > 0 ? foldScopes(s.scope, s) : s;
  return saved.meta !== root.meta || saved.blocks !== root.blocks || saved.transitions !== root.transitions;
}

/** Creates one editor store: the document, its lookups, selection, run status, diagnostics and undo history. */
export function createEditorStore(options: EditorStoreOptions = {}): EditorStore {
  const now = options.now ?? (() => Date.now());
  const historyLimit = options.historyLimit ?? 300;
  const coalesceMs = options.coalesceMs ?? 1000;
  let lastKey: string | undefined;
  let lastAt = 0;

  return createStore<EditorState>()((set, get) => {
    /** Installs a new document snapshot, re-deriving lookups and pruning the selection. */
    const install = (data: GraphData, extra: Partial<EditorState> = {}): void => {
      const s = get();
      const index = indexGraph(data, s);
      set({
        ...data,
        ...index,
        selectedBlocks: pruneSet(s.selectedBlocks, (id) => index.blockLookup.has(id)),
        selectedTransitions: pruneSet(s.selectedTransitions, (id) => index.transitionLookup.has(id)),
        ...extra,
      });
    };

    const snapshot = (): GraphData => {
      const s = get();
      return { meta: s.meta, blocks: s.blocks, transitions: s.transitions };
    };

    const actions: EditorActions = {
      apply(changes, opts = {}) {
        const before = snapshot();
        const after = applyGraphChanges(before, changes);
        if (after === before) return false;
        const t = now();
        const merge =
          opts.history === 'skip' ||
          (opts.coalesce !== undefined && opts.coalesce === lastKey && t - lastAt < coalesceMs);
        lastKey = opts.coalesce;
        lastAt = t;
        if (merge) {
          install(after);
          return true;
        }
        const past = [...get().past, before];
        if (past.length > historyLimit) past.splice(0, past.length - historyLimit);
        install(after, { past, future: [] });
        return true;
      },
      undo() {
        const { past, future } = get();
        const prev = past[past.length - 1];
        if (!prev) return;
        lastKey = undefined;
        install(prev, { past: past.slice(0, -1), future: [...future, snapshot()] });
      },
      redo() {
        const { past, future } = get();
        const next = future[future.length - 1];
        if (!next) return;
        lastKey = undefined;
        install(next, { past: [...past, snapshot()], future: future.slice(0, -1) });
      },
      endCoalescing() {
        lastKey = undefined;
      },
      load(doc, opts = {}) {
        lastKey = undefined;
        const data = fromDocument(doc);
        set({
          ...data,
          ...indexGraph(data),
          ...EMPTY_DIAGNOSTICS,
          status: new Map(),
          selectedBlocks: NO_IDS,
          selectedTransitions: NO_IDS,
          measured: new Map(),
          past: [],
          future: [],
          saved: opts.saved ? data : undefined,
          scope: NO_SCOPE,
          scopePrefix: '',
        });
      },
      markSaved(data) {
        set({ saved: data ?? actions.rootSnapshot() });
      },
      document: () => toDocument(actions.rootSnapshot()),
      snapshot,
      rootSnapshot() {
        const s = get();
        if (s.scope.length === 0) return snapshot();
        const { data, frames } = foldAndRemember(s.scope, snapshot());
        if (frames !== s.scope) set({ scope: frames });
        return data;
      },

      setSelection(sel) {
        set({
          selectedBlocks: sel.blocks ? new Set(sel.blocks) : NO_IDS,
          selectedTransitions: sel.transitions ? new Set(sel.transitions) : NO_IDS,
        });
      },
      applySelection(kind, changes) {
        const s = get();
        const key = kind === 'block' ? 'selectedBlocks' : 'selectedTransitions';
        const cur = s[key];
        let next: Set<string> | undefined;
        const exists = kind === 'block' ? s.blockLookup : s.transitionLookup;
        for (const c of changes) {
          // A click that opened a composite still reports its node: that id is not in this graph.
          if (c.selected && !exists.has(c.id)) continue;
          if (cur.has(c.id) === c.selected && !next) continue;
          next ??= new Set(cur);
          if (c.selected) next.add(c.id);
          else next.delete(c.id);
        }
        if (next) set(kind === 'block' ? { selectedBlocks: next } : { selectedTransitions: next });
      },
      selectAll() {
        const s = get();
        set({
          selectedBlocks: new Set(s.blocks.map((b) => b.id)),
          selectedTransitions: new Set(s.transitions.map((t) => t.id)),
        });
      },
      clearSelection() {
        const s = get();
        if (s.selectedBlocks.size === 0 && s.selectedTransitions.size === 0) return;
        set({ selectedBlocks: NO_IDS, selectedTransitions: NO_IDS });
      },

      setMeasured(changes) {
        const cur = get().measured;
        let next: Map<string, Dimensions> | undefined;
        for (const { id, dimensions } of changes) {
          const old = cur.get(id);
          if (old && old.width === dimensions.width && old.height === dimensions.height) continue;
          next ??= new Map(cur);
          next.set(id, { width: dimensions.width, height: dimensions.height });
        }
        if (next) set({ measured: next });
      },
      setStatus(id, status) {
        const cur = get().status;
        if ((cur.get(id) ?? 'idle') === status) return;
        const next = new Map(cur);
        if (status === 'idle') next.delete(id);
        else next.set(id, status);
        set({ status: next });
      },
      setStatuses(entries) {
        const next = new Map(get().status);
        for (const [id, st] of entries) {
          if (st === 'idle') next.delete(id);
          else next.set(id, st);
        }
        set({ status: next });
      },
      resetStatuses() {
        if (get().status.size > 0) set({ status: new Map() });
      },
      setDiagnostics(list) {
        const s = get();
        const next = indexDiagnostics(
          list,
          s,
          s.scope.map((f) => f.blockId),
        );
        if (next !== s && next.diagnostics !== s.diagnostics) set(next);
      },

      addBlock(type, position, model) {
        const s = get();
        const id = uniqueId(type, (x) => s.blockLookup.has(x));
        const count = s.blocks.filter((b) => b.type === type).length;
        const name = count === 0 ? BLOCK_LABELS[type] : `${BLOCK_LABELS[type]} ${count + 1}`;
        actions.apply([{ type: 'block.add', block: newBlock(type, id, name, position, model) }]);
        actions.setSelection({ blocks: [id] });
        return id;
      },
      connect(from, to) {
        const s = get();
        if (!s.blockLookup.has(from) || !s.blockLookup.has(to)) return undefined;
        const id = transitionIdFor(from, to, (x) => s.transitionLookup.has(x));
        actions.apply([{ type: 'transition.add', transition: { id, from, to } }]);
        return id;
      },
      reconnect(id, from, to) {
        const t = get().transitionLookup.get(id);
        if (!t || (t.from === from && t.to === to)) return;
        actions.apply([{ type: 'transition.replace', id, transition: { ...t, from, to } }]);
      },
      moveBlocks(moves) {
        const key = `move:${moves.map((m) => m.id).join(',')}`;
        actions.apply(
          moves.map((m) => ({ type: 'block.move', id: m.id, position: m.position })),
          { coalesce: key },
        );
      },
      renameBlock(id, next) {
        const s = get();
        const block = s.blockLookup.get(id);
        if (!block || !isValidId(next)) return false;
        if (next === id) return true;
        if (s.blockLookup.has(next)) return false;
        const ids = new Map([[id, next]]);
        const changes: GraphChange[] = [];
        for (const b of s.blocks) {
          const rewritten = rewriteBlockRefs(b, ids);
          if (b === block) changes.push({ type: 'block.replace', id, block: { ...rewritten, id: next } });
          else if (rewritten !== b) changes.push({ type: 'block.replace', id: b.id, block: rewritten });
        }
        for (const t of s.transitions) {
          const rewritten = rewriteTransitionRefs(t, ids);
          if (rewritten !== t) changes.push({ type: 'transition.replace', id: t.id, transition: rewritten });
        }
        actions.apply(changes);
        if (s.selectedBlocks.has(id)) {
          const sel = new Set(get().selectedBlocks);
          sel.add(next);
          set({ selectedBlocks: sel });
        }
        return true;
      },
      removeElements(blockIds, transitionIds) {
        const changes: GraphChange[] = [];
        for (const id of transitionIds) changes.push({ type: 'transition.remove', id });
        for (const id of blockIds) changes.push({ type: 'block.remove', id });
        if (changes.length > 0) actions.apply(changes);
      },
      deleteSelection() {
        const s = get();
        actions.removeElements(s.selectedBlocks, s.selectedTransitions);
      },
      copySelection() {
        const s = get();
        return copyPayload(s, s.selectedBlocks);
      },
      paste(payload, offset = { x: 40, y: 40 }) {
        const prepared = preparePaste(payload, snapshot(), offset);
        const changes: GraphChange[] = [
          ...prepared.blocks.map((block) => ({ type: 'block.add' as const, block })),
          ...prepared.transitions.map((transition) => ({ type: 'transition.add' as const, transition })),
        ];
        actions.apply(changes);
        const ids = prepared.blocks.map((b) => b.id);
        actions.setSelection({ blocks: ids, transitions: prepared.transitions.map((t) => t.id) });
        return ids;
      },
      duplicateSelection() {
        const payload = actions.copySelection();
        return payload ? actions.paste(payload) : [];
      },

      openComposite(id) {
        const s = get();
        const block = s.blockLookup.get(id);
        if (block?.type !== 'composite') return false;
        lastKey = undefined;
        const child = childData(block);
        const frame: ScopeFrame = {
          blockId: id,
          name: block.name || id,
          parent: snapshot(),
          past: s.past,
          future: s.future,
          opened: child,
        };
        const scope = [...s.scope, frame];
        install(child, {
          ...sceneReset(),
          ...indexDiagnostics(
            s.diagnostics,
            EMPTY_DIAGNOSTICS,
            scope.map((f) => f.blockId),
          ),
          past: [],
          future: [],
          scope,
          scopePrefix: prefixOf(scope),
        });
        return true;
      },
      closeScopes(depth) {
        let s = get();
        while (s.scope.length > Math.max(0, depth)) {
          const frame = s.scope[s.scope.length - 1] as ScopeFrame;
          const child = snapshot();
          const parent = writeBack(frame, child);
          const changed = parent !== frame.parent;
          const past = changed ? [...frame.past, frame.parent] : frame.past;
          const scope = s.scope.slice(0, -1);
          lastKey = undefined;
          install(parent, {
            ...sceneReset(),
            ...indexDiagnostics(
              s.diagnostics,
              EMPTY_DIAGNOSTICS,
              scope.map((f) => f.blockId),
            ),
            selectedBlocks: new Set([frame.blockId]),
            past,
            future: changed ? [] : frame.future,
            scope,
            scopePrefix: prefixOf(scope),
          });
          s = get();
        }
      },
      groupSelection() {
        const s = get();
        const r = groupBlocks(snapshot(), s.selectedBlocks);
        if ('error' in r) return r;
        actions.apply([{ type: 'document.replace', doc: toDocument(r.data) }]);
        actions.setSelection({ blocks: [r.id] });
        return { id: r.id };
      },
      ungroup(id) {
        const r = ungroupBlock(snapshot(), id);
        if ('error' in r) return r.error;
        actions.apply([{ type: 'document.replace', doc: toDocument(r.data) }]);
        actions.setSelection({ blocks: r.ids });
        return undefined;
      },
    };

    const initial = options.doc ?? EMPTY_DOCUMENT;
    const data = fromDocument(initial);
    return {
      ...data,
      ...indexGraph(data),
      ...EMPTY_DIAGNOSTICS,
      status: new Map(),
      selectedBlocks: NO_IDS,
      selectedTransitions: NO_IDS,
      measured: new Map(),
      past: [],
      future: [],
      saved: options.saved ? data : undefined,
      scope: NO_SCOPE,
      scopePrefix: '',
      actions,
    };
  });
}
