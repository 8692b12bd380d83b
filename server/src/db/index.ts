export { type LineageEntry, lineageEntries } from './lineage';
export { type Database, type Db, type OpenDatabaseOptions, openDatabase, type Schema } from './open';
export * as schema from './schema';
export {
  createStatsStore,
  type EstimateContext,
  type StatsCounters,
  type StatsStore,
  type StatsStoreOptions,
  type TransitionCount,
  type VisitCount,
} from './stats/store';
