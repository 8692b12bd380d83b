import type { ParsedExpr } from './cel';
import type { Diagnostic } from './diagnostics';
import type {
  Block,
  BlockType,
  GraphDocument,
  InputField,
  MessageTemplate,
  ModelRef,
  Reducer,
  SelectionPolicy,
  SubGraph,
} from './schema';
import type { ParsedTemplate } from './template';

/**
 * The compiled graph: validated once, frozen, indexed (arrays + lookup maps), adjacency
 * pre-computed, expressions and templates pre-parsed. The engine executes it with no
 * re-validation, no registry look-ups and no re-parsing.
 */
export interface CompiledGraph {
  /** SHA-256 of everything that affects execution (positions and descriptions excluded). */
  readonly hash: string;
  readonly name: string;
  /** The validated document this was compiled from (for composites, the nested graph). */
  readonly doc: GraphDocument | SubGraph;
  readonly blocks: readonly CompiledBlock[];
  readonly blockIndex: ReadonlyMap<string, number>;
  readonly transitions: readonly CompiledTransition[];
  readonly inputIndex: number;
  readonly outputIndices: readonly number[];
  readonly vars: ReadonlyMap<string, CompiledVar>;
  readonly limits: CompiledLimits;
  /** Warnings found at compile time (a compiled graph has no errors). */
  readonly diagnostics: readonly Diagnostic[];
  /** How deep this graph is nested: 0 at the top. */
  readonly depth: number;
}

export interface CompiledLimits {
  readonly maxIterations: number;
  readonly maxVisitsPerBlock: number;
  readonly deadlineMs: number | undefined;
}

export interface CompiledVar {
  readonly name: string;
  readonly reducer: Reducer;
  readonly initial: unknown;
}

export interface CompiledTransition {
  readonly index: number;
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly when: ParsedExpr | undefined;
  readonly isElse: boolean;
  /** A short stable hash of the condition text, so branch statistics survive unrelated edits. */
  readonly conditionHash: string;
}

export interface CompiledAssign {
  readonly varName: string;
  readonly reducer: Reducer;
  readonly expr: ParsedExpr;
}

export interface ResolvedRetry {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly multiplier: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
  readonly maxTotalMs: number;
  readonly maxRetryAfterMs: number;
}

export interface ResolvedRecovery {
  readonly retry: ResolvedRetry;
  readonly fallback: readonly ModelRef[];
  readonly repairAttempts: number;
}

interface CompiledBlockBase {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly type: BlockType;
  /** Hash of behaviour-relevant config; with name and type it is the block's stats identity. */
  readonly version: string;
  /** Outgoing conditional/unconditional transitions in document order, else excluded. */
  readonly outgoing: readonly CompiledTransition[];
  readonly elseTransition: CompiledTransition | undefined;
  readonly routing: 'first' | 'all';
  readonly join: 'any' | 'all';
  /** For join "all": blocks that can reach this one (itself excluded); activations there must settle first. */
  readonly joinAncestors: ReadonlySet<number> | undefined;
  readonly assign: readonly CompiledAssign[];
  readonly timeoutMs: number | undefined;
  readonly maxVisits: number;
  readonly spec: Block;
}

export interface CompiledInputBlock extends CompiledBlockBase {
  readonly type: 'input';
  readonly fields: readonly InputField[];
}

export interface CompiledOutputBlock extends CompiledBlockBase {
  readonly type: 'output';
  readonly value: ParsedExpr | undefined;
}

export interface CompiledMessage {
  readonly role: MessageTemplate['role'];
  readonly template: ParsedTemplate;
}

export interface CompiledLlmBlock extends CompiledBlockBase {
  readonly type: 'llm';
  readonly provider: string;
  readonly model: string;
  readonly selection: SelectionPolicy | undefined;
  readonly system: ParsedTemplate | undefined;
  readonly messages: readonly CompiledMessage[];
  readonly outputSchema: Readonly<Record<string, unknown>> | undefined;
  readonly params: {
    readonly temperature?: number | undefined;
    readonly maxTokens?: number | undefined;
    readonly topP?: number | undefined;
    readonly stop?: readonly string[] | undefined;
  };
  readonly recovery: ResolvedRecovery;
}

export interface CompiledTransformBlock extends CompiledBlockBase {
  readonly type: 'transform';
  readonly expr: ParsedExpr;
}

export interface CompiledCompositeBlock extends CompiledBlockBase {
  readonly type: 'composite';
  readonly child: CompiledGraph;
  readonly inputMap: readonly { readonly key: string; readonly expr: ParsedExpr }[] | undefined;
}

export type CompiledBlock =
  | CompiledInputBlock
  | CompiledOutputBlock
  | CompiledLlmBlock
  | CompiledTransformBlock
  | CompiledCompositeBlock;

export const DEFAULT_RETRY: ResolvedRetry = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 500,
  multiplier: 2,
  maxDelayMs: 30_000,
  jitter: 0.2,
  maxTotalMs: 120_000,
  maxRetryAfterMs: 60_000,
});
