import type { BenchSuite } from './harness';

/** A suite by name, and how to load its module (only the process that runs it loads it). */
export interface SuiteEntry {
  readonly name: string;
  load(): Promise<BenchSuite>;
}

/**
 * Every benchmark suite, in the order they run. Add a suite here when an issue names new figures.
 * Each suite runs in a process of its own and imports only its own module there: a suite's
 * figures are never taken with another suite's libraries loaded (the server suite's HTTP stack
 * alone made the compile figures ~6% slower).
 */
export const suites: readonly SuiteEntry[] = [
  { name: 'compile', load: async () => (await import('./compile.bench')).compileSuite },
  { name: 'engine', load: async () => (await import('./runtime.bench')).runtimeSuite },
  { name: 'stats', load: async () => (await import('./stats.bench')).statsSuite },
  { name: 'llm', load: async () => (await import('./llm.bench')).llmSuite },
  { name: 'server', load: async () => (await import('./server.bench')).serverSuite },
  { name: 'editor', load: async () => (await import('./editor.bench')).editorSuite },
];
