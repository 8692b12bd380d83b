export * from './changes';
export * from './clipboard';
export * from './context';
export * from './defaults';
export * from './diagnostics';
export * from './graph-queries';
export * from './store';
export * from './types';
