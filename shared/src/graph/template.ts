/**
 * Prompt templates: `{{input.topic}}`, `{{out.classify.label}}`, `{{vars.summary}}`, `{{out.list[0]}}`.
 * Our own substitution of paths: no template engine, no expressions, no code. Parsed once at
 * compile time into literal parts and paths.
 */

export interface TemplatePath {
  readonly root: string;
  /** Segments after the root: property names or array indexes. */
  readonly segments: readonly (string | number)[];
  readonly text: string;
}

export type TemplatePart = string | TemplatePath;

export interface ParsedTemplate {
  readonly parts: readonly TemplatePart[];
  readonly paths: readonly TemplatePath[];
}

export type TemplateParseOutcome = { ok: true; template: ParsedTemplate } | { ok: false; message: string };

const SEGMENT = /^(?:\.([A-Za-z0-9_-]+)|\[(\d+)\])/;
const ROOT = /^[A-Za-z_][A-Za-z0-9_]*/;

export function parseTemplate(text: string): TemplateParseOutcome {
  const parts: TemplatePart[] = [];
  const paths: TemplatePath[] = [];
  let i = 0;
  let literal = '';
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, open);
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      return {
        ok: false,
        message: `"{{" at character ${open + 1} is never closed: write {{input.name}}, {{out.<blockId>.field}} or {{vars.name}}.`,
      };
    }
    const inner = text.slice(open + 2, close).trim();
    const parsed = parsePath(inner);
    if (!parsed) {
      return {
        ok: false,
        message: `"{{${inner}}}" is not a variable path: write {{input.name}}, {{out.<blockId>.field}} or {{vars.name}} (letters, digits, _ and [index] only).`,
      };
    }
    if (literal) parts.push(literal);
    literal = '';
    parts.push(parsed);
    paths.push(parsed);
    i = close + 2;
  }
  if (literal) parts.push(literal);
  return { ok: true, template: { parts, paths } };
}

function parsePath(text: string): TemplatePath | undefined {
  const root = ROOT.exec(text);
  if (!root) return undefined;
  const segments: (string | number)[] = [];
  let rest = text.slice(root[0].length);
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) return undefined;
    segments.push(m[1] !== undefined ? m[1] : Number(m[2]));
    rest = rest.slice(m[0].length);
  }
  return { root: root[0], segments, text };
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
