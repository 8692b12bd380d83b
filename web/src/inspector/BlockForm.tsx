import {
  type Block,
  type CompositeBlock,
  type InputBlock,
  type InputField,
  type OutputBlock,
  type SubGraph,
  subGraphSchema,
  type TransformBlock,
} from '@graphwright/shared';
import { useEffect, useState } from 'react';
import type { ProvidersState } from '../api/providers';
import { useEditor, useEditorActions } from '../store/context';
import { BLOCK_LABELS, isValidId } from '../store/defaults';
import { CelEditor } from './CelEditor';
import { ExprMapEditor } from './ExprMapEditor';
import {
  Checkbox,
  diagnosticsAt,
  FieldProblems,
  NumberInput,
  Section,
  Select,
  TextArea,
  TextInput,
} from './fields';
import { JsonEditor } from './JsonEditor';
import { LlmForm } from './LlmForm';
import { useBlockDiagnostics, useBlockPatch, withPatch } from './use-block';

/** The block id, renamed on Enter or blur (references to it follow). */
function IdField({ id }: { id: string }) {
  const actions = useEditorActions();
  const lookup = useEditor((s) => s.blockLookup);
  const taken = (candidate: string) => candidate !== id && lookup.has(candidate);
  const [text, setText] = useState(id);
  useEffect(() => setText(id), [id]);
  const error = !isValidId(text)
    ? 'Letters, digits and _ only, not starting with a digit (it is used as out.<id>).'
    : taken(text)
      ? `Another block already has the id "${text}".`
      : undefined;
  const commit = () => {
    if (!error && text !== id) actions.renameBlock(id, text);
    else if (error) setText(id);
  };
  return (
    <TextInput
      label="Id"
      value={text}
      onChange={setText}
      onBlur={commit}
      error={error}
      mono
      testId="block-id"
      hint={`Read by later blocks as out.${id}. Renaming updates transitions and references.`}
    />
  );
}

const FIELD_TYPES = [
  { value: 'string', label: 'string' },
  { value: 'number', label: 'number' },
  { value: 'boolean', label: 'boolean' },
  { value: 'json', label: 'json' },
] as const;

function InputFields({ block }: { block: InputBlock }) {
  const patch = useBlockPatch<InputBlock>(block.id);
  const fields = block.fields ?? [];
  const set = (field: string, next: InputField[]) =>
    patch(field, { fields: next.length > 0 ? next : undefined });
  const { list, prefix } = useBlockDiagnostics(block.id);
  return (
    <Section title="Input fields">
      {fields.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fields are edited in place by position
        <div className="input-field" key={i} data-testid={`input-field-${i}`}>
          <div className="row">
            <TextInput
              label={`Field ${i + 1} name`}
              value={f.name}
              mono
              onChange={(name) =>
                set(
                  `fields.${i}.name`,
                  fields.map((x, j) => (j === i ? { ...x, name } : x)),
                )
              }
            />
            <Select
              label="Type"
              value={f.type ?? 'string'}
              options={FIELD_TYPES}
              onChange={(type) =>
                set(
                  `fields.${i}.type`,
                  fields.map((x, j) => (j === i ? { ...x, type } : x)),
                )
              }
            />
            <button
              type="button"
              className="btn btn-small"
              aria-label={`Remove field ${f.name}`}
              onClick={() =>
                set(
                  'fields.remove',
                  fields.filter((_, j) => j !== i),
                )
              }
            >
              ✕
            </button>
          </div>
          <Checkbox
            label="Required"
            checked={f.required === true}
            onChange={(required) =>
              set(
                `fields.${i}.required`,
                fields.map((x, j) => (j === i ? withPatch(x, { required: required || undefined }) : x)),
              )
            }
          />
          <FieldProblems list={diagnosticsAt(list, [...prefix, 'fields', i])} />
        </div>
      ))}
      <button
        type="button"
        className="btn btn-small"
        data-testid="input-add-field"
        onClick={() => {
          const names = new Set(fields.map((f) => f.name));
          let n = fields.length + 1;
          while (names.has(`field${n}`)) n++;
          set('fields.add', [...fields, { name: `field${n}`, type: 'string' }]);
        }}
      >
        + Add field
      </button>
    </Section>
  );
}

function checkSubGraph(v: unknown): string | undefined {
  const r = subGraphSchema.safeParse(v);
  if (r.success) return undefined;
  const issue = r.error.issues[0];
  return `Not a nested graph${issue ? `: ${issue.path.join('.')} ${issue.message}` : ''}.`;
}

function TypeSpecific({ block, providers }: { block: Block; providers: ProvidersState }) {
  const patch = useBlockPatch<Block>(block.id);
  const { endCoalescing } = useEditorActions();
  const { list, prefix } = useBlockDiagnostics(block.id);
  const at = (...p: (string | number)[]) => diagnosticsAt(list, [...prefix, ...p]);
  switch (block.type) {
    case 'input':
      return <InputFields block={block} />;
    case 'llm':
      return <LlmForm block={block} providers={providers} />;
    case 'output':
      return (
        <Section title="Output">
          <CelEditor
            label="Value (CEL, optional)"
            value={block.value ?? ''}
            optional
            onChange={(v) =>
              (patch as (f: string, p: Partial<OutputBlock>) => void)('value', {
                value: v === '' ? undefined : v,
              })
            }
            onBlur={endCoalescing}
            problems={at('value')}
            testId="output-value"
            placeholder="e.g. out.summarise"
            hint="Empty: the run returns the output of the block that reached this one."
          />
        </Section>
      );
    case 'transform':
      return (
        <Section title="Transform">
          <CelEditor
            label="Expression (CEL)"
            value={block.expr}
            onChange={(expr) => (patch as (f: string, p: Partial<TransformBlock>) => void)('expr', { expr })}
            onBlur={endCoalescing}
            problems={at('expr')}
            testId="transform-expr"
            hint="Reads input, out.<blockId> and vars.<name>; its value is this block's output."
          />
        </Section>
      );
    case 'composite': {
      const p = patch as (f: string, x: Partial<CompositeBlock>) => void;
      return (
        <>
          <Section title="Nested input">
            <ExprMapEditor
              value={block.inputMap}
              onChange={(field, inputMap) => p(`inputMap.${field}`, { inputMap })}
              onBlur={endCoalescing}
              keyLabel="Nested input field"
              withOutput={false}
              problems={list}
              pathPrefix={[...prefix, 'inputMap']}
              testId="composite-input-map"
              addLabel="+ Map a field"
              newKey={(taken) => {
                let n = taken.size + 1;
                while (taken.has(`field${n}`)) n++;
                return `field${n}`;
              }}
            />
            <p className="field-hint">Without a mapping the parent's input passes through unchanged.</p>
          </Section>
          <Section title={`Nested graph (${block.graph.blocks.length} blocks)`} open={false}>
            <JsonEditor<SubGraph>
              label="Nested graph (JSON)"
              value={block.graph}
              optional={false}
              onChange={(graph) => graph && p('graph', { graph })}
              check={checkSubGraph}
              problems={at('graph')}
              rows={12}
              testId="composite-graph"
              hint="Editing the nested graph on its own canvas comes with composite navigation."
            />
          </Section>
        </>
      );
    }
  }
}

/** Fields whose problems show next to them rather than at the top of the form. */
const SHOWN_AT_FIELD = new Set([
  'messages',
  'system',
  'outputSchema',
  'expr',
  'value',
  'assign',
  'inputMap',
  'graph',
  'fields',
]);

/** Every setting of one block. */
export function BlockForm({ id, providers }: { id: string; providers: ProvidersState }) {
  const block = useEditor((s) => s.blockLookup.get(id));
  const vars = useEditor((s) => s.meta.vars);
  const patch = useBlockPatch<Block>(id);
  const { endCoalescing } = useEditorActions();
  const { list, prefix } = useBlockDiagnostics(id);
  if (!block) return null;
  const general = list.filter(
    (d) => !(d.path[0] === 'blocks' && d.path[1] === prefix[1] && SHOWN_AT_FIELD.has(String(d.path[2]))),
  );
  return (
    <section
      className="form"
      data-testid="block-form"
      aria-label={`${BLOCK_LABELS[block.type]} block ${block.id}`}
    >
      <header className="form-head">
        <span className={`block-type type-${block.type}`}>{BLOCK_LABELS[block.type]}</span>
        <h2 className="panel-title">{block.name || block.id}</h2>
      </header>
      <FieldProblems list={general} />
      <Section title="Block">
        <TextInput
          label="Name"
          value={block.name}
          onChange={(name) => patch('name', { name })}
          onBlur={endCoalescing}
          testId="block-name"
        />
        <IdField id={block.id} />
        <TextArea
          label="Description"
          value={block.description ?? ''}
          onChange={(v) => patch('description', { description: v === '' ? undefined : v })}
          onBlur={endCoalescing}
          rows={2}
        />
      </Section>
      <TypeSpecific block={block} providers={providers} />
      <Section title="Flow" open={false}>
        <div className="grid-2">
          <Select
            label="Routing out"
            value={block.routing ?? 'first'}
            options={[
              { value: 'first', label: 'first match (else)' },
              { value: 'all', label: 'all matches (fan-out)' },
            ]}
            onChange={(routing) => patch('routing', { routing: routing === 'first' ? undefined : routing })}
            testId="block-routing"
          />
          <Select
            label="Join in"
            value={block.join ?? 'any'}
            options={[
              { value: 'any', label: 'any (each arrival)' },
              { value: 'all', label: 'all branches' },
            ]}
            onChange={(join) => patch('join', { join: join === 'any' ? undefined : join })}
            testId="block-join"
          />
          <NumberInput
            label="Timeout (ms)"
            value={block.timeoutMs}
            onChange={(timeoutMs) => patch('timeoutMs', { timeoutMs })}
            min={1}
            max={86_400_000}
            integer
            testId="block-timeout"
            placeholder="graph default"
          />
          <NumberInput
            label="Max visits"
            value={block.maxVisits}
            onChange={(maxVisits) => patch('maxVisits', { maxVisits })}
            min={1}
            max={1_000_000}
            integer
            placeholder="1000"
          />
        </div>
      </Section>
      <Section title="Assign vars" open={block.assign !== undefined}>
        <ExprMapEditor
          value={block.assign}
          onChange={(field, assign) => patch(`assign.${field}`, { assign })}
          onBlur={endCoalescing}
          keyLabel="Var"
          keyOptions={Object.keys(vars ?? {})}
          withOutput
          problems={list}
          pathPrefix={[...prefix, 'assign']}
          testId="block-assign"
          addLabel="+ Assign a var"
          newKey={(taken) => Object.keys(vars ?? {}).find((v) => !taken.has(v)) ?? `var${taken.size + 1}`}
        />
        {Object.keys(vars ?? {}).length === 0 && (
          <p className="field-hint">Declare vars in the graph settings (click the empty canvas).</p>
        )}
      </Section>
    </section>
  );
}
