import type { z } from 'zod';
import { analyzeGraph, type KeptEscapes } from './analyze';
import type { CompiledGraph } from './compiled';
import { type Diagnostic, GraphValidationError, hasErrors } from './diagnostics';
import { fastParseGraph } from './fast-parse';
import { type Sha256Hex, sha256Hex } from './hash';
import { DiagnosticCollector } from './issues';
import { LIMITS } from './limits';
import { type GraphDocument, graphDocumentSchema } from './schema';

export interface CompileOptions {
  /** SHA-256 implementation; defaults to the pure-JS one (the server passes node:crypto's). */
  readonly sha256?: Sha256Hex;
  /** The document's size in bytes when the caller already knows it (saves a serialisation). */
  readonly sizeBytes?: number;
}

export interface CompileResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Present exactly when there are no error diagnostics. */
  readonly compiled: CompiledGraph | undefined;
  /** The parsed document, when it passed the schema. */
  readonly doc: GraphDocument | undefined;
}

const MAX_SCHEMA_DIAGNOSTICS = 50;

/**
 * Validates and compiles in one pass. Never throws, for any input: every problem is a diagnostic.
 */
export function checkGraph(input: unknown, opts: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const dc = new DiagnosticCollector(diagnostics, [], []);
  let sizePending = false;
  try {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      dc.add(
        'not_an_object',
        `A graph document is a JSON object with schemaVersion, name, blocks and transitions; this is ${describe(input)}.`,
      );
      return { diagnostics, compiled: undefined, doc: undefined };
    }
    // The fast path parses plain JSON data and measures it in one walk; anything else (and every
    // document with a schema problem) takes the general path, which also writes the diagnostics.
    const known = opts.sizeBytes;
    const fast = known !== undefined && known > LIMITS.maxDocumentBytes ? undefined : fastParseGraph(input);
    let size = known;
    if (size === undefined) {
      if (!fast) size = jsonSize(input);
      // Within the limit however many escapes its strings need: the exact size does not matter.
      else if (fast.minSize + 5 * fast.textChars <= LIMITS.maxDocumentBytes) size = fast.minSize;
      // Over the limit: the message gives the exact size.
      else if (fast.minSize > LIMITS.maxDocumentBytes) size = jsonSize(input);
      // In between, the escapes decide: they are counted as the graph's hash is written, once it compiles.
      else sizePending = true;
    }
    if (!sizePending && (size === undefined || size > LIMITS.maxDocumentBytes))
      return tooLarge(diagnostics, dc, size);
    const doc = fast ? fast.doc : parseSlow(input, dc);
    if (!doc) return { diagnostics, compiled: undefined, doc: undefined };
    const keep: KeptEscapes | undefined =
      fast && sizePending
        ? {
            textChars: fast.textChars,
            allowance: Math.floor((LIMITS.maxDocumentBytes - fast.minSize) / 5),
          }
        : undefined;
    const compiled = analyzeGraph(doc, dc, 0, { sha256: opts.sha256 ?? sha256Hex, keep });
    if (fast && keep && !keep.withinLimit) {
      const exact =
        keep.escapes !== undefined && !fast.nested ? fast.minSize + keep.escapes : jsonSize(input);
      if (exact === undefined || exact > LIMITS.maxDocumentBytes) return tooLarge(diagnostics, dc, exact);
    }
    return { diagnostics, compiled: hasErrors(diagnostics) ? undefined : compiled, doc };
  } catch (e) {
    // Only pathological input gets here (e.g. nesting deep enough to exhaust the stack).
    if (sizePending) {
      const exact = jsonSize(input);
      if (exact === undefined || exact > LIMITS.maxDocumentBytes) return tooLarge(diagnostics, dc, exact);
    }
    diagnostics.length = 0;
    dc.add(
      'schema',
      `The document could not be read (${e instanceof Error ? e.message : String(e)}): it is probably nested far too deeply. Export it again from the editor.`,
    );
    return { diagnostics, compiled: undefined, doc: undefined };
  }
}

/** The one diagnostic of a document over the size limit (or that cannot be serialised). */
function tooLarge(
  diagnostics: Diagnostic[],
  dc: DiagnosticCollector,
  size: number | undefined,
): CompileResult {
  diagnostics.length = 0;
  dc.add(
    'document_too_large',
    size === undefined
      ? 'The document cannot be serialised as JSON (it is circular or holds non-JSON values): export it again from the editor.'
      : `The document is ${(size / 1e6).toFixed(1)} MB; the limit is ${LIMITS.maxDocumentBytes / 1e6} MB. Move large text into run inputs or split the graph into composites.`,
  );
  return { diagnostics, compiled: undefined, doc: undefined };
}

/** The general path: the size limits on blocks and transitions, then the zod schema. */
function parseSlow(input: object, dc: DiagnosticCollector): GraphDocument | undefined {
  const raw = input as { blocks?: unknown; transitions?: unknown };
  if (Array.isArray(raw.blocks) && raw.blocks.length > LIMITS.maxBlocks) {
    dc.add(
      'too_many_blocks',
      `The graph has ${raw.blocks.length} blocks; the limit is ${LIMITS.maxBlocks}. Split it into composites.`,
      { path: ['blocks'] },
    );
    return undefined;
  }
  if (Array.isArray(raw.transitions) && raw.transitions.length > LIMITS.maxTransitions) {
    dc.add(
      'too_many_transitions',
      `The graph has ${raw.transitions.length} transitions; the limit is ${LIMITS.maxTransitions}.`,
      { path: ['transitions'] },
    );
    return undefined;
  }
  const parsed = graphDocumentSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, MAX_SCHEMA_DIAGNOSTICS))
      addSchemaIssue(dc, input, issue);
    return undefined;
  }
  return parsed.data;
}

/** Every problem in a document, as diagnostics. Never throws. */
export function validate(input: unknown, opts: CompileOptions = {}): Diagnostic[] {
  return [...checkGraph(input, opts).diagnostics];
}

/** Compiles a document that has no error diagnostics; throws GraphValidationError otherwise. */
export function compile(input: unknown, opts: CompileOptions = {}): CompiledGraph {
  const r = checkGraph(input, opts);
  if (!r.compiled) throw new GraphValidationError(r.diagnostics);
  return r.compiled;
}

function addSchemaIssue(dc: DiagnosticCollector, input: unknown, issue: z.core.$ZodIssue): void {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // Point at the block when the problem is inside one, so the canvas can badge it.
  let blockId: string | undefined;
  let graphPath: string[] = [];
  let node: unknown = input;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as string | number;
    if (typeof node !== 'object' || node === null) break;
    if (key === 'blocks' && typeof path[i + 1] === 'number') {
      const b = (node as { blocks?: unknown[] }).blocks?.[path[i + 1] as number] as
        | { id?: unknown }
        | undefined;
      if (b && typeof b.id === 'string') {
        if (blockId !== undefined) graphPath = [...graphPath, blockId];
        blockId = b.id;
      }
    }
    node = (node as Record<string | number, unknown>)[key];
  }
  const where = path.length > 0 ? ` at ${formatPath(path)}` : '';
  let message = issue.message;
  if (issue.code === 'invalid_union' && path.includes('blocks')) {
    const given = path[path.length - 1] === 'type' ? node : (node as { type?: unknown } | undefined)?.type;
    message = `Unknown block type ${JSON.stringify(given ?? null)}: use one of input, output, llm, transform, composite`;
  }
  const d = new DiagnosticCollector(dc.out, graphPath, []);
  d.add('schema', `${message}${where}.`, { path, blockId });
  dc.errorCount++;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function jsonSize(value: unknown): number | undefined {
  try {
    const s = JSON.stringify(value);
    return s === undefined ? undefined : s.length;
  } catch {
    return undefined;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length === 0 ? 'an empty string' : 'a string';
  return `a ${typeof v}`;
}
