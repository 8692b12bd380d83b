export * from './aggregate';
export {
  type BranchCounts,
  type BranchProbabilities,
  branchProbabilities,
  expectedVisits,
  type Visits,
} from './flow';
export * from './graph';
export * from './histogram';
export * from './recency';
export * from './sketch';
export * from './types';
export * from './welford';
