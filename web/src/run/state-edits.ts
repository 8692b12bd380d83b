import { stableJson } from './compare';
import { parseObject } from './inputs';
import type { StateEdits } from './run-controller';
import type { RunState } from './run-state';

/** Editing a paused run's state (or a fork's): JSON for `out` and `vars`, checked before it is sent. */

export type EditsResult =
  | { readonly ok: true; readonly edits: StateEdits | undefined }
  | { readonly ok: false; readonly errors: { readonly out?: string; readonly vars?: string } };

/** The outputs the run has recorded for its top-level blocks (what `out` holds at a pause). */
export function recordedOut(run: RunState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const b of run.blocks.values()) if (b.path.length === 0 && b.hasOutput) out[b.blockId] = b.output;
  return out;
}

/**
 * Checks the edited JSON and keeps only what changed: `out` entries that differ from the recorded
 * ones, and every var typed. Unknown block ids or undeclared vars are refused with the reason.
 */
export function checkEdits(
  outText: string,
  varsText: string,
  recorded: Readonly<Record<string, unknown>>,
  blockIds: ReadonlySet<string>,
  varNames: ReadonlySet<string>,
): EditsResult {
  const errors: { out?: string; vars?: string } = {};
  const out = parseObject(outText);
  const vars = parseObject(varsText);
  if (!out.ok) errors.out = out.error;
  if (!vars.ok) errors.vars = vars.error;
  if (out.ok && out.value) {
    const unknown = Object.keys(out.value).filter((k) => !blockIds.has(k));
    if (unknown.length > 0)
      errors.out = `No block ${unknown.map((k) => `"${k}"`).join(', ')} in this graph: out is keyed by block id.`;
  }
  if (vars.ok && vars.value) {
    const unknown = Object.keys(vars.value).filter((k) => !varNames.has(k));
    if (unknown.length > 0)
      errors.vars =
        varNames.size === 0
          ? 'This graph declares no vars.'
          : `Undeclared var ${unknown.map((k) => `"${k}"`).join(', ')}: the graph declares ${[...varNames].join(', ')}.`;
  }
  if (errors.out || errors.vars) return { ok: false, errors };
  const changedOut: Record<string, unknown> = {};
  if (out.ok && out.value)
    for (const [k, v] of Object.entries(out.value))
      if (!(k in recorded) || stableJson(recorded[k]) !== stableJson(v)) changedOut[k] = v;
  const setVars = vars.ok ? vars.value : undefined;
  const edits: StateEdits = {
    ...(Object.keys(changedOut).length > 0 ? { out: changedOut } : {}),
    ...(setVars && Object.keys(setVars).length > 0 ? { vars: setVars } : {}),
  };
  return { ok: true, edits: edits.out || edits.vars ? edits : undefined };
}
