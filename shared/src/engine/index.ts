export * from './exec/checkpoint';
export * from './exec/context';
export { backoffMs } from './exec/llm-block';
export { OutVector } from './exec/out-vector';
export { reduceVar } from './exec/reducers';
export { executeRun } from './exec/run';
export { deepFreeze } from './exec/run-ctx';
export { TOKEN_SLICE_MS } from './exec/token-slicer';
