/**
 * JSON Schema validation of structured LLM output, shared by the server (the LLM service) and the
 * browser (previews). @cfworker/json-schema interprets schemas; it never generates code, so no
 * `new Function` reaches a schema a user typed.
 */
import { type Schema, Validator } from '@cfworker/json-schema';

export interface JsonSchemaResult {
  readonly valid: boolean;
  /** One line per problem, e.g. `/years/0: must be integer`; empty when valid. */
  readonly errors: readonly string[];
}

export type JsonSchemaCheck = (value: unknown) => JsonSchemaResult;

// Keyed by the caller's schema object: a compiled graph hands the same frozen object to every
// attempt, so each schema is dereferenced once.
const cache = new WeakMap<object, JsonSchemaCheck>();

const MAX_ERRORS = 10;

/**
 * A validator for `schema` (draft 2020-12). The schema is copied first: the library annotates the
 * objects it dereferences, and compiled graphs are frozen.
 */
export function jsonSchemaValidator(schema: Readonly<Record<string, unknown>>): JsonSchemaCheck {
  const hit = cache.get(schema);
  if (hit) return hit;
  const validator = new Validator(structuredClone(schema) as Schema, '2020-12', false);
  const check: JsonSchemaCheck = (value) => {
    const r = validator.validate(value);
    if (r.valid) return { valid: true, errors: [] };
    // The library reports the wrapping keyword ("properties", "allOf") as well as the leaf; a
    // person needs the leaves, which are the entries that name a concrete problem.
    const leaves = r.errors.filter((e) => !/^(Property|Items|Item at index|Array items) /.test(e.error));
    const chosen = (leaves.length > 0 ? leaves : r.errors).slice(0, MAX_ERRORS);
    return {
      valid: false,
      errors: chosen.map((e) => `${e.instanceLocation.replace(/^#/, '') || '/'}: ${e.error}`),
    };
  };
  cache.set(schema, check);
  return check;
}

/** Validates `value` against `schema` (cached per schema object). */
export function validateJsonSchema(
  schema: Readonly<Record<string, unknown>>,
  value: unknown,
): JsonSchemaResult {
  return jsonSchemaValidator(schema)(value);
}
