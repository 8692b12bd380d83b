import type { CompiledVar } from './compiled';
import type { DiagnosticCollector } from './issues';

export function withoutSelf(set: Set<number>, self: number): Set<number> {
  set.delete(self);
  return set;
}

export function initialFor(reducer: CompiledVar['reducer']): unknown {
  switch (reducer) {
    case 'append':
      return [];
    case 'sum':
      return 0;
    case 'merge':
      return {};
    default:
      return null;
  }
}

export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 2 : 3;
  }
  return bytes;
}

const JSON_SCHEMA_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

export function checkOutputSchema(
  schema: Record<string, unknown>,
  path: (string | number)[],
  blockId: string,
  dc: DiagnosticCollector,
): void {
  const t = schema.type;
  // One known type (the common case) needs no list.
  const bad =
    typeof t === 'string' && JSON_SCHEMA_TYPES.has(t)
      ? undefined
      : (Array.isArray(t) ? t : t === undefined ? [] : [t]).find(
          (x) => typeof x !== 'string' || !JSON_SCHEMA_TYPES.has(x),
        );
  if (bad !== undefined) {
    dc.add(
      'output_schema_invalid',
      `The output schema of block "${blockId}" has type ${JSON.stringify(bad)}: use one of ${[...JSON_SCHEMA_TYPES].join(', ')}.`,
      { path: [...path, 'type'], blockId },
    );
    return;
  }
  if (
    t === undefined &&
    schema.properties === undefined &&
    schema.anyOf === undefined &&
    schema.oneOf === undefined &&
    schema.$ref === undefined
  ) {
    dc.add(
      'output_schema_invalid',
      `The output schema of block "${blockId}" says nothing about the output: give it a "type" (usually "object") and "properties".`,
      { path, blockId },
    );
    return;
  }
  if (
    schema.properties !== undefined &&
    (typeof schema.properties !== 'object' || schema.properties === null || Array.isArray(schema.properties))
  ) {
    dc.add(
      'output_schema_invalid',
      `The "properties" of block "${blockId}"'s output schema must be an object mapping names to schemas.`,
      { path: [...path, 'properties'], blockId },
    );
  }
}
