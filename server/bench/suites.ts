import { compileSuite } from './compile.bench';
import type { BenchSuite } from './harness';

/** Every benchmark suite, in the order they run. Add a suite here when an issue names new figures. */
export const suites: BenchSuite[] = [compileSuite];
