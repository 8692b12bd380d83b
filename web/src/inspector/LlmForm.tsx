import type { LlmBlock, MessageTemplate } from '@graphwright/shared';
import type { ProvidersState } from '../api/providers';
import { useEditorActions } from '../store/context';
import { diagnosticsAt, NumberInput, Section, Select, TextInput } from './fields';
import { JsonEditor } from './JsonEditor';
import { lintJsonSchema } from './json-schema-lint';
import { ModelPicker } from './ModelPicker';
import { RecoveryForm } from './RecoveryForm';
import { TemplateEditor } from './TemplateEditor';
import { useBlockDiagnostics, useBlockPatch, useTemplateVariables } from './use-block';

const ROLES = [
  { value: 'user', label: 'user' },
  { value: 'assistant', label: 'assistant' },
  { value: 'system', label: 'system' },
] as const;

function checkSchemaShape(v: unknown): string | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? undefined
    : 'An output schema is a JSON object, e.g. {"type": "object", "properties": {…}}.';
}

/** The LLM block: model, prompts with variable completion, structured output, parameters, recovery. */
export function LlmForm({ block, providers }: { block: LlmBlock; providers: ProvidersState }) {
  const patch = useBlockPatch<LlmBlock>(block.id);
  const { endCoalescing } = useEditorActions();
  const vars = useTemplateVariables(block.id);
  const { list, prefix } = useBlockDiagnostics(block.id);
  const at = (...p: (string | number)[]) => diagnosticsAt(list, [...prefix, ...p]);
  const setMessages = (field: string, messages: MessageTemplate[]) => patch(field, { messages });

  return (
    <>
      <Section title="Model">
        <ModelPicker
          label="Model"
          value={{ provider: block.provider, model: block.model }}
          providers={providers}
          onChange={(m) => patch('model', { provider: m.provider, model: m.model })}
          testId="llm-model"
        />
      </Section>
      <Section title="Prompt">
        <TemplateEditor
          label="System prompt"
          value={block.system ?? ''}
          onChange={(v) => patch('system', { system: v === '' ? undefined : v })}
          onBlur={endCoalescing}
          suggestions={vars}
          problems={at('system')}
          testId="llm-system"
          rows={3}
          placeholder="Optional instructions; type {{ to insert a variable"
        />
        {block.messages.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: messages have no identity beyond their position
          <div className="message" key={i} data-testid={`llm-message-${i}`}>
            <div className="message-head">
              <Select
                label={`Message ${i + 1} role`}
                value={m.role}
                options={ROLES}
                onChange={(role) =>
                  setMessages(
                    `messages.${i}.role`,
                    block.messages.map((x, j) => (j === i ? { ...x, role } : x)),
                  )
                }
              />
              <div className="message-tools">
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`Move message ${i + 1} up`}
                  disabled={i === 0}
                  onClick={() => {
                    const next = block.messages.slice();
                    [next[i - 1], next[i]] = [next[i] as MessageTemplate, next[i - 1] as MessageTemplate];
                    setMessages('messages.order', next);
                  }}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`Remove message ${i + 1}`}
                  onClick={() =>
                    setMessages(
                      'messages.remove',
                      block.messages.filter((_, j) => j !== i),
                    )
                  }
                >
                  ✕
                </button>
              </div>
            </div>
            <TemplateEditor
              label={`Message ${i + 1}`}
              value={m.content}
              onChange={(content) =>
                setMessages(
                  `messages.${i}.content`,
                  block.messages.map((x, j) => (j === i ? { ...x, content } : x)),
                )
              }
              onBlur={endCoalescing}
              suggestions={vars}
              problems={at('messages', i)}
              testId={`llm-message-${i}-content`}
            />
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          data-testid="llm-add-message"
          onClick={() =>
            setMessages('messages.add', [
              ...block.messages,
              {
                role: block.messages[block.messages.length - 1]?.role === 'user' ? 'assistant' : 'user',
                content: '',
              },
            ])
          }
        >
          + Add message
        </button>
        {at('messages')
          .filter((d) => d.path.length === prefix.length + 1)
          .map((d) => (
            <p key={d.message} className="field-error">
              {d.message}
            </p>
          ))}
      </Section>
      <Section title="Structured output" open={block.outputSchema !== undefined}>
        <JsonEditor<Record<string, unknown>>
          label="Output JSON Schema"
          value={block.outputSchema}
          onChange={(outputSchema) => patch('outputSchema', { outputSchema })}
          check={checkSchemaShape}
          lint={(v) => lintJsonSchema(v)}
          problems={at('outputSchema')}
          testId="llm-output-schema"
          placeholder={
            '{\n  "type": "object",\n  "properties": { "label": { "type": "string" } },\n  "required": ["label"]\n}'
          }
          hint="Leave empty for plain text output. With a schema the model must answer with matching JSON."
        />
      </Section>
      <Section title="Parameters" open={false}>
        <div className="grid-2">
          <NumberInput
            label="Temperature"
            value={block.temperature}
            onChange={(temperature) => patch('temperature', { temperature })}
            min={0}
            max={2}
            step={0.1}
            testId="llm-temperature"
          />
          <NumberInput
            label="Max tokens"
            value={block.maxTokens}
            onChange={(maxTokens) => patch('maxTokens', { maxTokens })}
            min={1}
            max={1_000_000}
            integer
          />
          <NumberInput
            label="Top p"
            value={block.topP}
            onChange={(topP) => patch('topP', { topP })}
            min={0}
            max={1}
          />
        </div>
        <TextInput
          label="Stop sequences (comma separated, up to 4)"
          value={(block.stop ?? []).join(',')}
          onChange={(v) => {
            const stop = v.split(',').filter((s) => s.length > 0);
            patch('stop', { stop: stop.length > 0 ? stop.slice(0, 4) : undefined });
          }}
        />
      </Section>
      <Section title="Recovery" open={block.recovery !== undefined}>
        <RecoveryForm
          value={block.recovery}
          onChange={(field, recovery) => patch(`recovery.${field}`, { recovery })}
          providers={providers}
          testId="llm-recovery"
        />
      </Section>
    </>
  );
}
