export * from './engine/events';
export * from './engine/llm';
export * from './engine/status';
export * from './estimate/types';
export * from './graph/index';
