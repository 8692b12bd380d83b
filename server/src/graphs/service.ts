import { randomBytes } from 'node:crypto';
import {
  type CompiledBlock,
  type CompiledGraph,
  canonicalJson,
  type Diagnostic,
  type GraphDocument,
  LIMITS,
} from '@graphwright/shared';
import { sha256Node } from '../hash';
import type { CompileCache } from './compile-cache';
import type { GraphStore, GraphSummary, GraphVersionRow, LineageEntry } from './store';

export class GraphServiceError extends Error {
  constructor(
    readonly kind: 'not_found' | 'bad_request' | 'too_large',
    message: string,
  ) {
    super(message);
  }
}

/** Graph ids carry 96 random bits: unguessable, short enough for a URL. */
export function newGraphId(): string {
  return `g_${randomBytes(12).toString('base64url')}`;
}

export function defaultDocument(name: string): GraphDocument {
  return {
    schemaVersion: 1,
    name,
    blocks: [
      {
        id: 'input',
        name: 'Input',
        type: 'input',
        position: { x: 0, y: 120 },
        fields: [{ name: 'text', type: 'string', required: true }],
      },
      { id: 'output', name: 'Output', type: 'output', position: { x: 420, y: 120 } },
    ],
    transitions: [{ id: 't_input_output', from: 'input', to: 'output' }],
  };
}

export interface SavedVersion {
  readonly version: number;
  readonly created: boolean;
  readonly hash: string;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Graph documents and their immutable versions. Every save runs the shared validator; a document
 * with errors is still stored (a draft), with its diagnostics, but only a valid version can run.
 */
export class GraphService {
  private readonly hashes = new Map<string, string>();
  private readonly latest = new Map<string, number>();

  constructor(
    private readonly store: GraphStore,
    private readonly cache: CompileCache,
  ) {}

  list(): GraphSummary[] {
    return this.store.list();
  }

  /** Creates a graph; without a name it takes the document's (an import). */
  create(name: string | undefined, doc?: unknown): SavedVersion & { id: string } {
    const id = newGraphId();
    const document = doc === undefined ? defaultDocument(name ?? 'Untitled graph') : doc;
    const checked = this.check(document);
    this.store.create({ id, name: name?.trim() || nameOf(document, 'Imported graph'), version: checked.row });
    return { id, version: 1, created: true, hash: checked.row.hash, diagnostics: checked.row.diagnostics };
  }

  get(id: string, version?: number): GraphVersionRow & { name: string } {
    const g = this.store.get(id);
    const v = g && this.store.version(id, version);
    if (!g || !v)
      throw new GraphServiceError(
        'not_found',
        version === undefined
          ? `No graph "${id}": it may have been deleted.`
          : `Graph "${id}" has no version ${version}.`,
      );
    return { ...v, name: g.name };
  }

  versions(id: string): ReturnType<GraphStore['versions']> {
    if (!this.store.get(id)) throw new GraphServiceError('not_found', `No graph "${id}".`);
    return this.store.versions(id);
  }

  /** Saves a new version when the document changed; an unchanged save creates nothing. */
  save(id: string, doc: unknown): SavedVersion {
    const latest = this.store.version(id);
    if (!latest)
      throw new GraphServiceError(
        'not_found',
        `No graph "${id}": it may have been deleted. Import the document to create it again.`,
      );
    const checked = this.check(doc);
    if (checked.docHash === docHashOf(latest.doc)) {
      return { version: latest.version, created: false, hash: latest.hash, diagnostics: latest.diagnostics };
    }
    const lineage = checked.compiled ? this.lineage(id, checked.compiled) : [];
    const version = this.store.appendVersion(id, checked.row, lineage);
    this.latest.delete(id);
    return { version, created: true, hash: checked.row.hash, diagnostics: checked.row.diagnostics };
  }

  rename(id: string, name: string): void {
    if (!this.store.rename(id, name)) throw new GraphServiceError('not_found', `No graph "${id}".`);
  }

  delete(id: string): void {
    this.latest.delete(id);
    if (!this.store.delete(id)) throw new GraphServiceError('not_found', `No graph "${id}".`);
  }

  /** The compiled graph of a stored version, from the compile cache when its content was seen before. */
  compiled(id: string, version?: number): { compiled: CompiledGraph; version: number } {
    // Versions are immutable, so (graph, version) → content hash is cached; only "latest" can move.
    const n = version ?? this.latest.get(id);
    const known = n === undefined ? undefined : this.hashes.get(`${id}:${n}`);
    if (known !== undefined && n !== undefined) {
      const hit = this.cache.get(known);
      if (hit) return { compiled: hit, version: n };
    }
    const v = this.get(id, version);
    this.hashes.set(`${id}:${v.version}`, v.hash);
    if (version === undefined) this.latest.set(id, v.version);
    const r = this.cache.getOrCompile(v.hash, () => v.doc);
    if (!('compiled' in r)) return { compiled: r, version: v.version };
    if (!r.compiled) {
      const first = r.diagnostics.find((d) => d.severity === 'error');
      throw new GraphServiceError(
        'bad_request',
        `Version ${v.version} of this graph has errors and cannot run${first ? `: ${first.message}` : ''}. Fix them and save.`,
      );
    }
    return { compiled: r.compiled, version: v.version };
  }

  private check(doc: unknown): {
    row: Omit<GraphVersionRow, 'graphId' | 'version'>;
    compiled: CompiledGraph | undefined;
    docHash: string;
  } {
    // Anything but an object cannot even be kept as a draft: say what a document looks like.
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
      throw new GraphServiceError(
        'bad_request',
        'The document must be a JSON object with schemaVersion, name, blocks and transitions (export a graph to see one).',
      );
    const text = safeStringify(doc);
    if (text === undefined)
      throw new GraphServiceError('bad_request', 'The document is not JSON-serialisable.');
    if (text.length > LIMITS.maxDocumentBytes) {
      throw new GraphServiceError(
        'too_large',
        `The document is ${(text.length / 1e6).toFixed(1)} MB; the limit is ${LIMITS.maxDocumentBytes / 1e6} MB.`,
      );
    }
    const r = this.cache.compile(doc, text.length);
    const docHash = docHashOf(doc);
    const blocks = (doc as { blocks?: unknown }).blocks;
    return {
      row: {
        hash: r.compiled?.hash ?? `draft:${docHash}`,
        doc: r.doc ?? doc,
        diagnostics: r.diagnostics,
        createdAt: Date.now(),
        blockCount: Array.isArray(blocks) ? blocks.length : 0,
      },
      compiled: r.compiled,
      docHash,
    };
  }

  /** Which block versions changed since the latest valid version (stats fall back along this chain). */
  private lineage(id: string, next: CompiledGraph): LineageEntry[] {
    const prevRows = this.store.versions(id);
    for (let i = prevRows.length - 1; i >= 0; i--) {
      const row = prevRows[i];
      if (!row || row.hash.startsWith('draft:')) continue;
      const found = this.cache.getOrCompile(row.hash, () => this.store.version(id, row.version)?.doc);
      const prev = 'compiled' in found ? found.compiled : found;
      if (!prev) continue;
      const out: LineageEntry[] = [];
      for (const b of next.blocks) {
        const pi = prev.blockIndex.get(b.id);
        const p = pi === undefined ? undefined : prev.blocks[pi];
        if (p?.version !== b.version) out.push(lineageEntry(b, p));
      }
      return out;
    }
    return next.blocks.map((b) => lineageEntry(b, undefined));
  }
}

function lineageEntry(b: CompiledBlock, p: CompiledBlock | undefined): LineageEntry {
  return {
    blockId: b.id,
    blockName: b.name,
    blockType: b.type,
    fromVersion: p?.version ?? null,
    fromName: p?.name ?? null,
    fromType: p?.type ?? null,
    toVersion: b.version,
  };
}

function nameOf(doc: unknown, fallback: string): string {
  const n = (doc as { name?: unknown } | null)?.name;
  return typeof n === 'string' && n.trim() ? n.slice(0, LIMITS.maxNameLength) : fallback;
}

function safeStringify(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

function docHashOf(doc: unknown): string {
  try {
    return sha256Node(canonicalJson(doc));
  } catch {
    return sha256Node(String(Math.random()));
  }
}
