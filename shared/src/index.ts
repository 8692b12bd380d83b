export * from './engine/events';
export * from './engine/llm';
export * from './engine/status';
export * from './graph/index';
export * from './estimate/types';
