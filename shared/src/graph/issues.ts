import { DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode } from './diagnostics';

/** Collects diagnostics for one graph level, with the composite chain and JSON path prefix applied. */
export class DiagnosticCollector {
  constructor(
    readonly out: Diagnostic[],
    readonly graphPath: readonly string[],
    readonly pathPrefix: readonly (string | number)[],
  ) {}

  errorCount = 0;

  add(
    code: DiagnosticCode,
    message: string,
    where: {
      path?: readonly (string | number)[];
      blockId?: string | undefined;
      transitionId?: string | undefined;
    } = {},
  ): void {
    const severity = DIAGNOSTIC_CODES[code];
    if (severity === 'error') this.errorCount++;
    const d: {
      code: DiagnosticCode;
      severity: typeof severity;
      message: string;
      path: (string | number)[];
      graphPath: readonly string[];
      blockId?: string;
      transitionId?: string;
    } = {
      code,
      severity,
      message,
      path: [...this.pathPrefix, ...(where.path ?? [])],
      graphPath: this.graphPath,
    };
    if (where.blockId !== undefined) d.blockId = where.blockId;
    if (where.transitionId !== undefined) d.transitionId = where.transitionId;
    this.out.push(d);
  }

  child(blockId: string, pathPrefix: readonly (string | number)[]): DiagnosticCollector {
    return new DiagnosticCollector(
      this.out,
      [...this.graphPath, blockId],
      [...this.pathPrefix, ...pathPrefix],
    );
  }
}
