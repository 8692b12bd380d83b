export * from './cel';
export * from './compiled';
export * from './diagnostics';
export * from './hash';
export * from './limits';
export * from './schema';
export * from './template';
export * from './validate';
