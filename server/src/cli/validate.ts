import { readFileSync, statSync } from 'node:fs';
import { type Diagnostic, LIMITS, validate } from '@graphwright/shared';
import { sha256Node } from '../hash';
import type { CliIo } from './gw';

type ReadResult = { ok: true; doc: unknown; bytes: number } | { ok: false; code: 1 | 2; message: string };

/** Reads a JSON graph file, turning every way it can be unreadable into a message. */
export function readGraphFile(file: string): ReadResult {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory())
      return { ok: false, code: 2, message: `${file} is a folder: pass a .json graph file.` };
    size = st.size;
  } catch {
    return { ok: false, code: 2, message: `Cannot read ${file}: no such file.` };
  }
  if (size > LIMITS.maxDocumentBytes * 4) {
    return {
      ok: false,
      code: 1,
      message: `${file} is ${(size / 1e6).toFixed(1)} MB; a graph document is at most ${LIMITS.maxDocumentBytes / 1e6} MB.`,
    };
  }
  const buf = readFileSync(file);
  if (buf.length === 0)
    return {
      ok: false,
      code: 1,
      message: `${file} is empty: a graph document is a JSON object (see examples/).`,
    };
  if (buf.includes(0))
    return { ok: false, code: 1, message: `${file} is a binary file, not a JSON graph document.` };
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return { ok: true, doc: JSON.parse(text), bytes: buf.length };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, code: 1, message: `${file} is not valid JSON (${why}).` };
  }
}

function formatDiagnostic(d: Diagnostic): string {
  const where = [
    d.graphPath.length ? `in ${d.graphPath.join(' › ')}` : '',
    d.blockId ? `block ${d.blockId}` : '',
    d.transitionId ? `transition ${d.transitionId}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `  ${d.severity === 'error' ? 'error  ' : 'warning'} ${d.code}${where ? ` (${where})` : ''}: ${d.message}`;
}

export function validateCommand(args: readonly string[], io: CliIo): number {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  const unknownFlag = files.find((a) => a.startsWith('-'));
  if (files.length !== 1 || unknownFlag) {
    io.err(
      `${unknownFlag ? `Unknown option ${unknownFlag}. ` : ''}Usage: pnpm gw validate [--json] <file>\n`,
    );
    return 2;
  }
  const file = files[0] as string;
  const read = readGraphFile(file);
  if (!read.ok) {
    if (json)
      io.out(
        `${JSON.stringify({ file, valid: false, diagnostics: [{ code: 'unreadable', severity: 'error', message: read.message }] })}\n`,
      );
    else io.err(`${read.message}\n`);
    return read.code;
  }
  const diagnostics = validate(read.doc, { sha256: sha256Node, sizeBytes: read.bytes });
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (json) {
    io.out(`${JSON.stringify({ file, valid: errors === 0, errors, warnings, diagnostics })}\n`);
  } else {
    const lines = diagnostics.map(formatDiagnostic);
    const summary =
      errors === 0
        ? `${file}: valid${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}`
        : `${file}: ${errors} error${errors > 1 ? 's' : ''}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    io.out(`${[summary, ...lines].join('\n')}\n`);
  }
  return errors === 0 ? 0 : 1;
}
