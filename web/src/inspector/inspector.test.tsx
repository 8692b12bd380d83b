import type { GraphDocument } from '@graphwright/shared';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderInfo, ProvidersState } from '../api/providers';
import { EditorStoreProvider } from '../store/context';
import { createEditorStore } from '../store/store';
import { Inspector } from './Inspector';
import { ModelPicker } from './ModelPicker';

afterEach(cleanup);

const providers: ProviderInfo[] = [
  {
    id: 'simulated',
    name: 'Simulator',
    simulated: true,
    configured: true,
    isDefault: true,
    allowUnlistedModels: false,
    note: undefined,
    models: [{ id: 'sim-fast', name: 'Simulated fast', inputPer1M: 0.15, outputPer1M: 0.6 }],
  },
  {
    id: 'openai',
    name: 'OpenAI',
    simulated: false,
    configured: false,
    isDefault: false,
    allowUnlistedModels: false,
    note: 'missing OPENAI_API_KEY',
    models: [{ id: 'gpt-x', name: 'GPT X', inputPer1M: null, outputPer1M: null }],
  },
];
const ready: ProvidersState = { status: 'ready', providers };

const doc: GraphDocument = {
  schemaVersion: 1,
  name: 'T',
  blocks: [
    { id: 'input', name: 'In', type: 'input', fields: [{ name: 'text', type: 'string' }] },
    { id: 'shape', name: 'Shape', type: 'transform', expr: 'input.text' },
    { id: 'output', name: 'Out', type: 'output' },
  ],
  transitions: [
    { id: 't1', from: 'input', to: 'shape' },
    { id: 't2', from: 'shape', to: 'output' },
  ],
};

describe('model picker', () => {
  it('labels simulated and not-configured providers and says when a model cannot run', () => {
    render(
      <ModelPicker
        label="Model"
        value={{ provider: 'openai', model: 'gpt-x' }}
        providers={ready}
        onChange={() => {}}
        testId="m"
      />,
    );
    const options = [...screen.getByTestId('m').querySelectorAll('option')].map((o) => o.textContent);
    expect(options).toEqual(['sim-fast · simulated · $0.15/$0.6 per 1M tokens', 'gpt-x · not configured']);
    const groups = [...screen.getByTestId('m').querySelectorAll('optgroup')].map((g) =>
      g.getAttribute('label'),
    );
    expect(groups).toEqual(['Simulator (simulated)', 'OpenAI (not configured)']);
    expect(screen.getByText(/OpenAI is not configured \(missing OPENAI_API_KEY\)/)).toBeTruthy();
  });

  it('keeps a model the list does not know selectable, marked as unknown', () => {
    render(
      <ModelPicker
        label="Model"
        value={{ provider: 'gone', model: 'old' }}
        providers={ready}
        onChange={() => {}}
        testId="m"
      />,
    );
    expect(screen.getByTestId('m').querySelector('option')?.textContent).toBe('gone · old (unknown)');
    expect(screen.getByText(/Provider "gone" is not configured/)).toBeTruthy();
  });
});

describe('inspector', () => {
  function setup() {
    const store = createEditorStore({ doc, saved: true });
    render(
      <EditorStoreProvider store={store}>
        <Inspector providers={ready} />
      </EditorStoreProvider>,
    );
    return store;
  }

  it('shows the graph settings when nothing is selected and the block form for a selected block', () => {
    const store = setup();
    expect(screen.getByTestId('graph-settings')).toBeTruthy();
    act(() => store.getState().actions.setSelection({ blocks: ['shape'] }));
    expect(screen.getByTestId('block-form')).toBeTruthy();
    expect((screen.getByTestId('transform-expr') as HTMLTextAreaElement).value).toBe('input.text');
  });

  it('shows CEL errors inline as you type and edits the document', () => {
    const store = setup();
    act(() => store.getState().actions.setSelection({ blocks: ['shape'] }));
    fireEvent.change(screen.getByTestId('transform-expr'), { target: { value: 'input.text +' } });
    expect(screen.getByTestId('transform-expr-error').textContent).toMatch(/Unexpected token/);
    const b = store.getState().blockLookup.get('shape');
    expect(b?.type === 'transform' && b.expr).toBe('input.text +');
    fireEvent.change(screen.getByTestId('transform-expr'), { target: { value: 'size(input.text)' } });
    expect(screen.queryByTestId('transform-expr-error')).toBeNull();
  });

  it('renames a block id, and rejects an id that is taken', () => {
    const store = setup();
    act(() => store.getState().actions.setSelection({ blocks: ['shape'] }));
    const id = screen.getByTestId('block-id');
    fireEvent.change(id, { target: { value: 'input' } });
    expect(screen.getByText('Another block already has the id "input".')).toBeTruthy();
    fireEvent.change(id, { target: { value: 'reshape' } });
    fireEvent.blur(id);
    expect(store.getState().blockLookup.has('reshape')).toBe(true);
    expect(store.getState().transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      'input->reshape',
      'reshape->output',
    ]);
  });

  it('edits a transition condition, and else clears it', () => {
    const store = setup();
    act(() => store.getState().actions.setSelection({ transitions: ['t2'] }));
    fireEvent.change(screen.getByTestId('transition-when'), { target: { value: 'out.shape != ""' } });
    expect(store.getState().transitionLookup.get('t2')?.when).toBe('out.shape != ""');
    fireEvent.click(screen.getByTestId('transition-else'));
    expect(store.getState().transitionLookup.get('t2')).toEqual({
      id: 't2',
      from: 'shape',
      to: 'output',
      else: true,
    });
  });
});
