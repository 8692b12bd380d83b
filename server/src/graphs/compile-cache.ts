import { type CompiledGraph, type CompileResult, checkGraph } from '@graphwright/shared';
import { sha256Node } from '../hash';

export interface CompileCacheStats {
  readonly size: number;
  readonly capacity: number;
  readonly hits: number;
  readonly misses: number;
  /** How many times a document went through the validator (once per distinct content, while cached). */
  readonly validations: number;
}

/**
 * Content hash → compiled graph, bounded LRU. A graph version is validated and compiled once; every
 * later run of the same content is a Map lookup. The key is the SHA-256 over everything that
 * affects execution, so a hit is always correct (positions and descriptions are not in it).
 */
export class CompileCache {
  private readonly entries = new Map<string, CompiledGraph>();
  private hits = 0;
  private misses = 0;
  private validations = 0;

  constructor(readonly capacity = 256) {}

  /** The compiled graph for a known content hash, if cached. */
  get(hash: string): CompiledGraph | undefined {
    const hit = this.entries.get(hash);
    if (hit === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(hash);
    this.entries.set(hash, hit);
    return hit;
  }

  /** Validates and compiles a document (no cache look-up); caches the result when it compiles. */
  compile(doc: unknown, sizeBytes?: number): CompileResult {
    this.validations++;
    const result = checkGraph(
      doc,
      sizeBytes === undefined ? { sha256: sha256Node } : { sha256: sha256Node, sizeBytes },
    );
    if (result.compiled) this.put(result.compiled);
    return result;
  }

  /** The compiled graph for a stored version: a cache hit by its hash, or one compile of its document. */
  getOrCompile(hash: string, loadDoc: () => unknown): CompiledGraph | CompileResult {
    const hit = this.get(hash);
    if (hit) return hit;
    const result = this.compile(loadDoc());
    // A version stored before the hash layout last changed keeps the hash it was saved with: file the
    // compiled graph under that key too, so such a version is still compiled once, not every run.
    if (result.compiled && result.compiled.hash !== hash) this.put(result.compiled, hash);
    return result;
  }

  private put(compiled: CompiledGraph, key = compiled.hash): void {
    this.entries.delete(key);
    this.entries.set(key, compiled);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  stats(): CompileCacheStats {
    return {
      size: this.entries.size,
      capacity: this.capacity,
      hits: this.hits,
      misses: this.misses,
      validations: this.validations,
    };
  }
}
