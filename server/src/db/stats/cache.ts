import { AttemptAggregate, type AttemptRecord, type RecencyOptions } from '@graphwright/shared';
import { loadAggregate, type Statements, type StoredAggregate } from './rows';

/**
 * The in-memory side of the aggregates: a bounded cache of the aggregates, counting every committed attempt (what estimates
 * read) and an index the flush uses to find, per attempt, its two aggregates and its series row
 * without building key strings (engine records reuse the compiled graph's string objects, whose
 * hashes V8 caches, so each step is a Map lookup on a string it has hashed before).
 *
 * Invariant: every aggregate reachable from the write index is the one in the read cache, so a
 * reader sees every committed attempt (the cache runs ahead of the saved rows: the store saves
 * aggregates behind the attempts). Evicting from the read cache therefore clears the write index
 * too (it rebuilds lazily).
 */

const SEP = '\u0001';

/** What picks an attempt's aggregates: its block identity and the model asked. */
export type AggregateOwner = Pick<AttemptRecord, 'blockName' | 'blockVersion' | 'provider' | 'model'> & {
  readonly blockType: string;
};

interface ModelSlot {
  readonly provider: string;
  readonly model: string;
  readonly stored: StoredAggregate;
  /** series row id by scoped block id ("path/blockId"). */
  readonly series: Map<string, number>;
}

interface IdentitySlot {
  readonly name: string;
  readonly type: string;
  readonly all: StoredAggregate;
  readonly models: ModelSlot[];
}

export function aggregateCacheKey(
  name: string,
  type: string,
  version: string,
  provider: string,
  model: string,
) {
  return name + SEP + type + SEP + version + SEP + provider + SEP + model;
}

export class AggregateCache {
  /** Committed aggregates by key; null remembers that no row exists. */
  private readonly read = new Map<string, StoredAggregate | null>();
  /** Flush-side index: version → identities with that version. */
  private write = new Map<string, IdentitySlot[]>();

  constructor(
    private readonly st: Statements,
    private readonly recency: Partial<RecencyOptions>,
    private readonly maxSize: number,
  ) {}

  get size(): number {
    return this.read.size;
  }

  /** For reads: the committed aggregate, loading its row on first use. */
  get(
    name: string,
    type: string,
    version: string,
    provider: string,
    model: string,
  ): AttemptAggregate | undefined {
    return this.stored(name, type, version, provider, model, false)?.agg;
  }

  private stored(
    name: string,
    type: string,
    version: string,
    provider: string,
    model: string,
    create: boolean,
  ): StoredAggregate | undefined {
    const k = aggregateCacheKey(name, type, version, provider, model);
    let s = this.read.get(k);
    if (s === undefined) {
      s = loadAggregate(this.st, { name, type, version, provider, model }, this.recency) ?? null;
      this.read.set(k, s);
    }
    if (s === null && create) {
      s = {
        id: undefined,
        key: { name, type, version, provider, model },
        agg: new AttemptAggregate(this.recency),
      };
      this.read.set(k, s);
    }
    return s ?? undefined;
  }

  /** For the flush: the identity-wide and per-model aggregates of an attempt, and its model slot. */
  slotsFor(r: AggregateOwner): { all: StoredAggregate; model: ModelSlot } {
    let list = this.write.get(r.blockVersion);
    if (!list) {
      list = [];
      this.write.set(r.blockVersion, list);
    }
    let id: IdentitySlot | undefined;
    for (const s of list)
      if (s.name === r.blockName && s.type === r.blockType) {
        id = s;
        break;
      }
    if (!id) {
      const all = this.stored(r.blockName, r.blockType, r.blockVersion, '', '', true) as StoredAggregate;
      id = { name: r.blockName, type: r.blockType, all, models: [] };
      list.push(id);
    }
    let m: ModelSlot | undefined;
    for (const s of id.models)
      if (s.model === r.model && s.provider === r.provider) {
        m = s;
        break;
      }
    if (!m) {
      const stored = this.stored(r.blockName, r.blockType, r.blockVersion, r.provider, r.model, true);
      m = { provider: r.provider, model: r.model, stored: stored as StoredAggregate, series: new Map() };
      id.models.push(m);
    }
    return { all: id.all, model: m };
  }

  /** Forgets everything (after a failed commit, before folding the committed attempts in again). */
  clear(): void {
    this.read.clear();
    this.write = new Map();
  }

  /**
   * Keeps memory bounded: drops the oldest-loaded entries whose row holds all they count; the
   * unsaved ones (`keep`) stay, or a later read would load a row that is behind.
   */
  trim(keep: ReadonlySet<StoredAggregate>): void {
    if (this.read.size <= this.maxSize) return;
    const target = Math.floor(this.maxSize * 0.9);
    for (const [k, s] of this.read) {
      if (this.read.size <= target) break;
      if (s === null || !keep.has(s)) this.read.delete(k);
    }
    this.write = new Map();
  }
}
