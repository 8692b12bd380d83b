import type { Reducer, VarSpec } from '@graphwright/shared';
import { useCallback } from 'react';
import type { ProvidersState } from '../api/providers';
import { useEditor, useEditorActions, useEditorStore } from '../store/context';
import type { GraphMeta } from '../store/types';
import { diagnosticsAt, FieldProblems, NumberInput, Section, Select, TextArea, TextInput } from './fields';
import { JsonEditor } from './JsonEditor';
import { RecoveryForm } from './RecoveryForm';
import { withPatch } from './use-block';

const REDUCERS = [
  { value: 'replace', label: 'replace' },
  { value: 'append', label: 'append (list)' },
  { value: 'sum', label: 'sum' },
  { value: 'merge', label: 'merge (object)' },
] as const;

function renameKey<V>(r: Record<string, V>, from: string, to: string): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries(r)) out[k === from ? to : k] = v;
  return out;
}

function clean<T extends object>(v: T): T | undefined {
  return Object.keys(v).length === 0 ? undefined : v;
}

/** Settings of the whole graph: name, vars, defaults, limits, budget (shown when nothing is selected). */
export function GraphSettings({ providers }: { providers: ProvidersState }) {
  const store = useEditorStore();
  const actions = useEditorActions();
  const meta = useEditor((s) => s.meta);
  const diagnostics = useEditor((s) => s.diagnostics);
  const patch = useCallback(
    (field: string, p: Partial<GraphMeta>) =>
      actions.apply([{ type: 'meta.set', meta: withPatch(store.getState().meta, p) }], {
        coalesce: `meta:${field}`,
      }),
    [store, actions],
  );
  const vars = meta.vars ?? {};
  const setVars = (field: string, v: Record<string, VarSpec>) => patch(`vars.${field}`, { vars: clean(v) });
  const defaults = meta.defaults ?? {};
  const limits = meta.limits ?? {};
  const budget = meta.budget ?? {};
  const docLevel = diagnostics.filter((d) => d.blockId === undefined && d.transitionId === undefined);

  return (
    <div className="form" data-testid="graph-settings">
      <header className="form-head">
        <h2 className="panel-title">Graph settings</h2>
      </header>
      <p className="field-hint">
        Select a block or transition to edit it. Drag on the canvas to select several.
      </p>
      <FieldProblems list={docLevel} />
      <Section title="Document">
        <TextInput
          label="Name in the document"
          value={meta.name}
          onChange={(name) => patch('name', { name })}
          onBlur={actions.endCoalescing}
          testId="graph-doc-name"
        />
        <TextArea
          label="Description"
          value={meta.description ?? ''}
          onChange={(v) => patch('description', { description: v === '' ? undefined : v })}
          onBlur={actions.endCoalescing}
          rows={2}
        />
      </Section>
      <Section title="Vars">
        {Object.entries(vars).map(([name, spec], i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: keyed by position so renaming a var keeps its input focused
          <div className="var-row" key={i} data-testid={`var-${i}`}>
            <div className="var-head">
              <input
                className="input mono"
                aria-label={`Var ${i + 1} name`}
                value={name}
                onChange={(e) => {
                  const to = e.target.value;
                  if (to && !(to in vars)) setVars(`${name}.name`, renameKey(vars, name, to));
                }}
              />
              <Select
                label="Reducer"
                value={spec.reducer ?? 'replace'}
                options={REDUCERS}
                onChange={(reducer: Reducer) =>
                  setVars(`${name}.reducer`, { ...vars, [name]: { ...spec, reducer } })
                }
              />
              <button
                type="button"
                className="btn btn-small"
                aria-label={`Remove var ${name}`}
                onClick={() => {
                  const next = { ...vars };
                  delete next[name];
                  setVars('remove', next);
                }}
              >
                ✕
              </button>
            </div>
            <JsonEditor<unknown>
              label="Initial value (JSON, optional)"
              value={spec.initial}
              rows={1}
              onChange={(initial) =>
                setVars(`${name}.initial`, { ...vars, [name]: withPatch(spec, { initial }) })
              }
            />
            <FieldProblems list={diagnosticsAt(diagnostics, ['vars', name])} />
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          data-testid="graph-add-var"
          onClick={() => {
            let n = Object.keys(vars).length + 1;
            while (`var${n}` in vars) n++;
            setVars('add', { ...vars, [`var${n}`]: { reducer: 'replace' } });
          }}
        >
          + Add var
        </button>
      </Section>
      <Section title="Defaults for every LLM block" open={false}>
        <NumberInput
          label="Timeout (ms)"
          value={defaults.timeoutMs}
          onChange={(timeoutMs) =>
            patch('defaults.timeoutMs', { defaults: clean(withPatch(defaults, { timeoutMs })) })
          }
          min={1}
          max={86_400_000}
          integer
        />
        <RecoveryForm
          value={defaults.recovery}
          onChange={(field, recovery) =>
            patch(`defaults.recovery.${field}`, { defaults: clean(withPatch(defaults, { recovery })) })
          }
          providers={providers}
          testId="graph-recovery"
        />
      </Section>
      <Section title="Limits and budget" open={false}>
        <div className="grid-2">
          <NumberInput
            label="Max iterations"
            value={limits.maxIterations}
            onChange={(maxIterations) =>
              patch('limits.it', { limits: clean(withPatch(limits, { maxIterations })) })
            }
            min={1}
            integer
            placeholder="10000"
          />
          <NumberInput
            label="Max visits per block"
            value={limits.maxVisitsPerBlock}
            onChange={(maxVisitsPerBlock) =>
              patch('limits.visits', { limits: clean(withPatch(limits, { maxVisitsPerBlock })) })
            }
            min={1}
            integer
            placeholder="1000"
          />
          <NumberInput
            label="Deadline (ms)"
            value={limits.deadlineMs}
            onChange={(deadlineMs) =>
              patch('limits.deadline', { limits: clean(withPatch(limits, { deadlineMs })) })
            }
            min={1}
            integer
          />
          <NumberInput
            label="Budget: max cost (USD)"
            value={budget.maxCostUsd}
            onChange={(maxCostUsd) =>
              patch('budget.cost', { budget: clean(withPatch(budget, { maxCostUsd })) })
            }
            min={0}
          />
          <NumberInput
            label="Budget: max latency (ms)"
            value={budget.maxLatencyMs}
            onChange={(maxLatencyMs) =>
              patch('budget.latency', { budget: clean(withPatch(budget, { maxLatencyMs })) })
            }
            min={0}
          />
        </div>
      </Section>
    </div>
  );
}
