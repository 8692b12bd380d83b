import type { Transition } from '@graphwright/shared';
import { useCallback } from 'react';
import { useEditor, useEditorActions, useEditorStore } from '../store/context';
import { CelEditor } from './CelEditor';
import { Checkbox, diagnosticsAt, FieldProblems, Section, Select, TextInput } from './fields';
import { withPatch } from './use-block';

/** A transition: its ends, condition or else, label, and its place in the source block's routing. */
export function TransitionForm({ id }: { id: string }) {
  const store = useEditorStore();
  const actions = useEditorActions();
  const t = useEditor((s) => s.transitionLookup.get(id));
  const siblings = useEditor((s) => (t ? s.outgoing.get(t.from) : undefined)) ?? [];
  const source = useEditor((s) => (t ? s.blockLookup.get(t.from) : undefined));
  const blocks = useEditor((s) => s.blocks);
  const problems = useEditor((s) => s.diagnosticsByTransition.get(id)) ?? [];
  const index = useEditor((s) => (t ? s.transitions.indexOf(t) : -1));

  const patch = useCallback(
    (field: string, p: Partial<Transition>) => {
      const cur = store.getState().transitionLookup.get(id);
      if (!cur) return;
      actions.apply([{ type: 'transition.replace', id, transition: withPatch(cur, p) }], {
        coalesce: `transition:${id}:${field}`,
      });
    },
    [store, actions, id],
  );
  if (!t) return null;
  const order = siblings.indexOf(t);
  const routing = source?.routing ?? 'first';
  const blockOptions = blocks.map((b) => ({ value: b.id, label: `${b.name || b.id} (${b.id})` }));
  const at = (...p: (string | number)[]) => diagnosticsAt(problems, ['transitions', index, ...p]);
  const general = problems.filter((d) => d.path[2] !== 'when');

  return (
    <div className="form" data-testid="transition-form">
      <header className="form-head">
        <span className="block-type type-transition">Transition</span>
        <h2 className="panel-title">
          {t.from} → {t.to}
        </h2>
      </header>
      <FieldProblems list={general} />
      <Section title="Transition">
        <div className="grid-2">
          <Select
            label="From"
            value={t.from}
            options={blockOptions}
            onChange={(from) => actions.reconnect(id, from, t.to)}
            testId="transition-from"
          />
          <Select
            label="To"
            value={t.to}
            options={blockOptions}
            onChange={(to) => actions.reconnect(id, t.from, to)}
            testId="transition-to"
          />
        </div>
        <TextInput
          label="Label"
          value={t.label ?? ''}
          onChange={(v) => patch('label', { label: v === '' ? undefined : v })}
          onBlur={actions.endCoalescing}
          testId="transition-label"
        />
        <p className="field-hint mono">id: {t.id}</p>
      </Section>
      <Section title="Condition">
        <Checkbox
          label="Else: taken when no other transition of this block applies"
          checked={t.else === true}
          onChange={(v) => patch('else', v ? { else: true, when: undefined } : { else: undefined })}
          testId="transition-else"
        />
        {t.else !== true && (
          <CelEditor
            label="When (CEL; empty = always)"
            value={t.when ?? ''}
            optional
            onChange={(v) => patch('when', { when: v.trim() === '' ? undefined : v })}
            onBlur={actions.endCoalescing}
            problems={at('when')}
            testId="transition-when"
            placeholder='e.g. out.classify.label == "billing"'
          />
        )}
      </Section>
      <Section title={`Routing out of ${source?.name || t.from}`}>
        <Select
          label="Routing"
          value={routing}
          options={[
            { value: 'first', label: 'first match, in order (else last)' },
            { value: 'all', label: 'all matches fire (fan-out)' },
          ]}
          onChange={(r) => {
            const b = store.getState().blockLookup.get(t.from);
            if (b)
              actions.apply([
                {
                  type: 'block.replace',
                  id: b.id,
                  block: withPatch(b, { routing: r === 'first' ? undefined : r }),
                },
              ]);
          }}
          testId="transition-routing"
        />
        {siblings.length > 1 && (
          <div className="row">
            <span className="field-hint">
              Tried {order + 1} of {siblings.length}
            </span>
            <button
              type="button"
              className="btn btn-small"
              disabled={order <= 0}
              onClick={() => actions.apply([{ type: 'transition.reorder', id, toIndex: order - 1 }])}
              aria-label="Try earlier"
            >
              ↑ earlier
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={order >= siblings.length - 1}
              onClick={() => actions.apply([{ type: 'transition.reorder', id, toIndex: order + 1 }])}
              aria-label="Try later"
            >
              ↓ later
            </button>
          </div>
        )}
      </Section>
      <button
        type="button"
        className="btn btn-danger"
        data-testid="transition-delete"
        onClick={() => actions.removeElements([], [id])}
      >
        Delete transition
      </button>
    </div>
  );
}
