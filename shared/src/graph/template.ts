/**
 * Prompt templates: `{{input.topic}}`, `{{out.classify.label}}`, `{{vars.summary}}`, `{{out.list[0]}}`.
 * Our own substitution of paths: no template engine, no expressions, no code. Parsed once at
 * compile time into literal parts and paths.
 */

import { ParsedTemplateRecord, TemplatePathRecord } from './records';

export interface TemplatePath {
  readonly root: string;
  /** Segments after the root: property names or array indexes. */
  readonly segments: readonly (string | number)[];
  /** Where the path is written in its template: text.slice(start, end) (inside the braces, no spaces). */
  readonly start: number;
  readonly end: number;
}

export type TemplatePart = string | TemplatePath;

export interface ParsedTemplate {
  /** Literal text and paths, in order (a template without variables is one literal, or none). */
  readonly parts: readonly TemplatePart[];
}

export type TemplateParseOutcome = { ok: true; template: ParsedTemplate } | { ok: false; message: string };

// Parts and segments are gathered in these (written by index, never shortened, so they keep their
// room), then copied out at their final size: a fresh array that grows starts with room for 16.
// They are replaced every SCRATCH_USES templates: an array that lives long moves to the old
// generation, where storing each new part into it costs a write barrier. (Copies of an empty
// list, not literals: see records.ts on allocation sites.)
const NO_ITEMS: readonly never[] = [];
let parts: TemplatePart[] = NO_ITEMS.slice();
let segments: (string | number)[] = NO_ITEMS.slice();
let scratchUses = 0;
const SCRATCH_USES = 256;

export function parseTemplate(text: string): TemplateParseOutcome {
  if (++scratchUses === SCRATCH_USES) {
    scratchUses = 0;
    parts = NO_ITEMS.slice();
    segments = NO_ITEMS.slice();
  }
  let partCount = 0;
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      parts[partCount++] = i === 0 ? text : text.slice(i);
      break;
    }
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      return {
        ok: false,
        message: `"{{" at character ${open + 1} is never closed: write {{input.name}}, {{out.<blockId>.field}} or {{vars.name}}.`,
      };
    }
    // The path between the braces, without surrounding whitespace (found in place: no trimmed copy).
    let from = open + 2;
    let to = close;
    while (from < to && isSpace(text.charCodeAt(from))) from++;
    while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
    const parsed = parsePath(text, from, to);
    if (!parsed) {
      const inner = text.slice(from, to);
      return {
        ok: false,
        message: `"{{${inner}}}" is not a variable path: write {{input.name}}, {{out.<blockId>.field}} or {{vars.name}} (letters, digits, _ and [index] only).`,
      };
    }
    if (open > i) parts[partCount++] = text.slice(i, open);
    parts[partCount++] = parsed;
    i = close + 2;
  }
  return {
    ok: true,
    template: new ParsedTemplateRecord(parts.slice(0, partCount)),
  };
}

/** What String.prototype.trim removes, for the characters a path can sit between. */
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0xfeff ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x3000 ||
    c === 0x1680 ||
    c === 0x202f ||
    c === 0x205f
  );
}

/** A-Z, a-z, _ (and 0-9 when `digits`). */
function isWordChar(c: number, digits: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (digits && c >= 48 && c <= 57);
}

/** What a `.name` segment holds: A-Z, a-z, 0-9, _ and -, by character code (one look-up each). */
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) NAME_CHAR[c] = isWordChar(c, true) || c === 45 ? 1 : 0;

/** The roots a template may read: the constant strings are shared (and compare fastest). */
function rootOf(text: string, start: number, end: number): string {
  const n = end - start;
  if (n === 3 && isAt(text, start, 'out')) return 'out';
  if (n === 5 && isAt(text, start, 'input')) return 'input';
  if (n === 4 && isAt(text, start, 'vars')) return 'vars';
  return text.slice(start, end);
}

/** Whether `word` is written at text[start] (by character code: a startsWith call cost more). */
function isAt(text: string, start: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (text.charCodeAt(start + k) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * The path in text[start, end): a root ([A-Za-z_][A-Za-z0-9_]*) and segments, each `.name` (name:
 * [A-Za-z0-9_-]+) or `[index]` (index: decimal digits).
 */
function parsePath(text: string, start: number, end: number): TemplatePath | undefined {
  if (start === end || !isWordChar(text.charCodeAt(start), false)) return undefined;
  let j = start + 1;
  while (j < end && isWordChar(text.charCodeAt(j), true)) j++;
  const root = rootOf(text, start, j);
  let count = 0;
  while (j < end) {
    const c = text.charCodeAt(j);
    let k = j + 1;
    if (c === 46) {
      // .name
      while (k < end && NAME_CHAR[text.charCodeAt(k)] === 1) k++;
      if (k === j + 1) return undefined;
      segments[count++] = text.slice(j + 1, k);
      j = k;
    } else if (c === 91) {
      // [index]
      let index = 0;
      while (k < end && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) {
        index = index * 10 + (text.charCodeAt(k) - 48);
        k++;
      }
      if (k === j + 1 || k >= end || text.charCodeAt(k) !== 93) return undefined;
      // Long digit runs lose precision as they are summed: read them as Number does.
      segments[count++] = k - j - 1 > 15 ? Number(text.slice(j + 1, k)) : index;
      j = k + 1;
    } else return undefined;
  }
  return new TemplatePathRecord(root, segments.slice(0, count), start, end);
}

/** Reads a path from a value; undefined when any step is missing. Own properties only. */
export function readPath(value: unknown, segments: readonly (string | number)[], from = 0): unknown {
  let v = value;
  for (let i = from; i < segments.length; i++) {
    if (v === null || typeof v !== 'object') return undefined;
    const s = segments[i] as string | number;
    if (!Object.hasOwn(v, s)) return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/** Resolves a root (input, out.<id>, vars.<name>) for rendering. */
export type PathResolver = (path: TemplatePath) => unknown;

/** Renders a template: strings as they are, other values as JSON, missing values as an empty string. */
export function renderTemplate(template: ParsedTemplate, resolve: PathResolver): string {
  const { parts } = template;
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0];
  let s = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      s += p;
      continue;
    }
    const v = resolve(p);
    if (v === undefined || v === null) continue;
    s += typeof v === 'string' ? v : JSON.stringify(v);
  }
  return s;
}
