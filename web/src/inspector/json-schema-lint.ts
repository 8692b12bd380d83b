const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Problems in a JSON Schema used for structured output, deeper than the validator's check: bad
 * types, `required` naming missing properties, malformed `properties`/`items`/`enum`. Each
 * message names where it is (`properties.label.type`).
 */
export function lintJsonSchema(schema: unknown, where = '', depth = 0): string[] {
  const at = (k: string) => (where ? `${where}.${k}` : k);
  if (depth > 32) return [];
  if (typeof schema === 'boolean') return [];
  if (!isObject(schema)) return [`${where || 'The schema'} must be an object.`];
  const out: string[] = [];
  const t = schema.type;
  const types = Array.isArray(t) ? t : t === undefined ? [] : [t];
  for (const x of types)
    if (typeof x !== 'string' || !TYPES.has(x))
      out.push(`${at('type')}: ${JSON.stringify(x)} is not a JSON type (use ${[...TYPES].join(', ')}).`);
  if (schema.properties !== undefined) {
    if (!isObject(schema.properties)) out.push(`${at('properties')} must be an object of named schemas.`);
    else
      for (const [k, v] of Object.entries(schema.properties))
        out.push(...lintJsonSchema(v, at(`properties.${k}`), depth + 1));
  }
  if (schema.required !== undefined) {
    if (!Array.isArray(schema.required) || schema.required.some((r) => typeof r !== 'string'))
      out.push(`${at('required')} must be a list of property names.`);
    else if (isObject(schema.properties)) {
      const props = schema.properties;
      for (const r of schema.required as string[])
        if (!(r in props)) out.push(`${at('required')} names "${r}", which is not under properties.`);
    }
  }
  if (schema.items !== undefined) {
    if (Array.isArray(schema.items)) {
      for (const [i, s] of schema.items.entries())
        out.push(...lintJsonSchema(s, at(`items[${i}]`), depth + 1));
    } else out.push(...lintJsonSchema(schema.items, at('items'), depth + 1));
  }
  if (schema.enum !== undefined && (!Array.isArray(schema.enum) || schema.enum.length === 0))
    out.push(`${at('enum')} must be a non-empty list of allowed values.`);
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    const v = schema[k];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.length === 0) out.push(`${at(k)} must be a non-empty list of schemas.`);
    else for (const [i, s] of v.entries()) out.push(...lintJsonSchema(s, at(`${k}[${i}]`), depth + 1));
  }
  if (schema.additionalProperties !== undefined && typeof schema.additionalProperties !== 'boolean')
    out.push(...lintJsonSchema(schema.additionalProperties, at('additionalProperties'), depth + 1));
  return out;
}
