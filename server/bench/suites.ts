import { compileSuite } from './compile.bench';
import { editorSuite } from './editor.bench';
import type { BenchSuite } from './harness';
import { llmSuite } from './llm.bench';
import { runtimeSuite } from './runtime.bench';
import { serverSuite } from './server.bench';
import { statsSuite } from './stats.bench';

/** Every benchmark suite, in the order they run. Add a suite here when an issue names new figures. */
export const suites: BenchSuite[] = [
  compileSuite,
  runtimeSuite,
  statsSuite,
  llmSuite,
  serverSuite,
  editorSuite,
];
