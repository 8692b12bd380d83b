export * from './engine/events';
export * from './engine/index';
export * from './engine/llm';
export * from './engine/status';
export * from './estimate/index';
export * from './estimate/types';
export * from './graph/index';
export * from './graph/json-schema';
