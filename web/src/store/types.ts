import type { Block, GraphDocument, Transition } from '@graphwright/shared';

/** What a block is doing in the current run; set by the run view, `idle` when no run is shown. */
export type BlockStatus = 'idle' | 'queued' | 'running' | 'done' | 'failed' | 'skipped';
export const BLOCK_STATUSES: readonly BlockStatus[] = [
  'idle',
  'queued',
  'running',
  'done',
  'failed',
  'skipped',
];

/** Everything of a document except its blocks and transitions. */
export type GraphMeta = Omit<GraphDocument, 'blocks' | 'transitions'>;

export interface XY {
  readonly x: number;
  readonly y: number;
}

/**
 * The edited document as three immutable parts. An edit replaces only what it touches, so an
 * undo snapshot is three references and an unchanged block keeps its identity across edits.
 */
export interface GraphData {
  readonly meta: GraphMeta;
  readonly blocks: readonly Block[];
  readonly transitions: readonly Transition[];
}

/** Lookups derived from GraphData; per-key arrays keep their identity while their contents do not change. */
export interface GraphIndex {
  readonly blockLookup: ReadonlyMap<string, Block>;
  readonly transitionLookup: ReadonlyMap<string, Transition>;
  /** Transitions leaving each block, in document order (the order `routing: "first"` tries them in). */
  readonly outgoing: ReadonlyMap<string, readonly Transition[]>;
  readonly incoming: ReadonlyMap<string, readonly Transition[]>;
}

/** Every edit to the document is one of these, applied by the pure `applyGraphChanges`. */
export type GraphChange =
  | { readonly type: 'block.add'; readonly block: Block }
  /** Replaces a block; when the id changes, its transitions follow it. */
  | { readonly type: 'block.replace'; readonly id: string; readonly block: Block }
  /** Removes a block and every transition attached to it. */
  | { readonly type: 'block.remove'; readonly id: string }
  | { readonly type: 'block.move'; readonly id: string; readonly position: XY }
  | { readonly type: 'transition.add'; readonly transition: Transition }
  | { readonly type: 'transition.replace'; readonly id: string; readonly transition: Transition }
  | { readonly type: 'transition.remove'; readonly id: string }
  /** Moves a transition to position `toIndex` among the transitions leaving the same block. */
  | { readonly type: 'transition.reorder'; readonly id: string; readonly toIndex: number }
  | { readonly type: 'meta.set'; readonly meta: GraphMeta }
  | { readonly type: 'document.replace'; readonly doc: GraphDocument };

export type GraphChangeType = GraphChange['type'];

/** How an edit enters the undo history. */
export interface ApplyOptions {
  /** `push` (default): one undo step; `skip`: not undoable (e.g. a layout nudge). */
  readonly history?: 'push' | 'skip';
  /**
   * Consecutive edits with the same key, close in time, merge into one undo step (typing in one
   * field, dragging one selection).
   */
  readonly coalesce?: string;
}

export interface Dimensions {
  readonly width: number;
  readonly height: number;
}
