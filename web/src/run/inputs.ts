import type { Block, InputField } from '@graphwright/shared';

/** The run inputs form: fields from the graph's input block, typed text in, a JSON object out. */

export type InputsResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

/** The key a form uses for "no declared fields: type the whole input as JSON". */
export const WHOLE_INPUT = '*';

/** The fields of the first input block (a graph has one; the validator reports others). */
export function inputFieldsOf(blocks: readonly Block[]): readonly InputField[] | undefined {
  const input = blocks.find((b) => b.type === 'input');
  if (input?.type !== 'input') return undefined;
  return input.fields && input.fields.length > 0 ? input.fields : undefined;
}

/** The text a field shows before the person types: its default. */
export function defaultText(f: InputField): string {
  if (f.default === undefined) return f.type === 'boolean' ? 'false' : '';
  if (f.type === 'json') return JSON.stringify(f.default, null, 2);
  return String(f.default);
}

function parseField(f: InputField, text: string): { value?: unknown; error?: string; empty?: true } {
  if (f.type === 'boolean') return { value: text === 'true' };
  if (text.trim() === '') return f.required ? { error: 'Required' } : { empty: true };
  switch (f.type) {
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) ? { value: n } : { error: 'Not a number' };
    }
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch (e) {
        return { error: `Not JSON: ${e instanceof Error ? e.message : String(e)}` };
      }
    default:
      return { value: text };
  }
}

/** Builds the run input from the form's text, or says what is wrong per field. */
export function buildInput(
  fields: readonly InputField[] | undefined,
  draft: Readonly<Record<string, string>>,
): InputsResult {
  if (!fields) {
    const text = draft[WHOLE_INPUT] ?? '';
    if (text.trim() === '') return { ok: true, value: {} };
    try {
      const v: unknown = JSON.parse(text);
      if (v === null || typeof v !== 'object' || Array.isArray(v))
        return { ok: false, errors: { [WHOLE_INPUT]: 'The input is a JSON object, e.g. {"topic": "tea"}' } };
      return { ok: true, value: v as Record<string, unknown> };
    } catch (e) {
      return {
        ok: false,
        errors: { [WHOLE_INPUT]: `Not JSON: ${e instanceof Error ? e.message : String(e)}` },
      };
    }
  }
  const value: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const r = parseField(f, draft[f.name] ?? defaultText(f));
    if (r.error) errors[f.name] = r.error;
    else if (!r.empty) value[f.name] = r.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

/** Parses a JSON object typed by the person (empty text: undefined). */
export function parseObject(
  text: string,
): { ok: true; value: Record<string, unknown> | undefined } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      return { ok: false, error: 'Expected a JSON object ({ … })' };
    return { ok: true, value: v as Record<string, unknown> };
  } catch (e) {
    return { ok: false, error: `Not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}
