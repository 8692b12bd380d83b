import type { Block, GraphDocument, Transition } from '@graphwright/shared';
import { act, cleanup, render } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EditorStoreProvider } from '../store/context';
import { createEditorStore } from '../store/store';
import { Canvas } from './Canvas';
import { renderProbe } from './probe';

function bigGraph(n: number): GraphDocument {
  const blocks: Block[] = [{ id: 'input', name: 'In', type: 'input', position: { x: 0, y: 0 } }];
  const transitions: Transition[] = [];
  for (let i = 0; i < n - 2; i++) {
    blocks.push({
      id: `b${i}`,
      name: `B${i}`,
      type: 'transform',
      expr: 'input',
      position: { x: (i % 25) * 250, y: Math.floor(i / 25) * 120 + 100 },
    });
    transitions.push({ id: `t${i}`, from: i === 0 ? 'input' : `b${i - 1}`, to: `b${i}` });
  }
  blocks.push({ id: 'output', name: 'Out', type: 'output', position: { x: 0, y: 3000 } });
  transitions.push({ id: 'tout', from: `b${n - 3}`, to: 'output' });
  return { schemaVersion: 1, name: 'Big', blocks, transitions };
}

beforeAll(() => {
  // React Flow measures the viewport; happy-dom lays nothing out, so give the pane a size.
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 1200 });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 800 });
});

afterEach(() => {
  cleanup();
  renderProbe.onRender = undefined;
});

describe('canvas rendering', () => {
  it('renders every block of a 500-block graph, and a status change re-renders exactly one block component', async () => {
    const store = createEditorStore({ doc: bigGraph(500) });
    const renders = new Map<string, number>();
    renderProbe.onRender = (kind, id) => {
      if (kind === 'block') renders.set(id, (renders.get(id) ?? 0) + 1);
    };
    const { container } = render(
      <EditorStoreProvider store={store}>
        <ReactFlowProvider>
          <div style={{ width: 1200, height: 800 }}>
            <Canvas defaultModel={undefined} />
          </div>
        </ReactFlowProvider>
      </EditorStoreProvider>,
    );
    await act(async () => {
      await new Promise((r) => setTimeout(r, 50));
    });
    expect(container.querySelectorAll('[data-testid^="block-node-"]')).toHaveLength(500);
    expect(renders.size).toBe(500);

    renders.clear();
    act(() => store.getState().actions.setStatus('b250', 'running'));
    expect([...renders.entries()]).toEqual([['b250', 1]]);
    expect(container.querySelector('[data-testid="block-status-b250"]')?.textContent).toContain('running');

    renders.clear();
    act(() =>
      store.getState().actions.setStatuses([
        ['b250', 'done'],
        ['b10', 'failed'],
      ]),
    );
    expect(new Set(renders.keys())).toEqual(new Set(['b250', 'b10']));

    renders.clear();
    const b = store.getState().blockLookup.get('b3');
    if (b)
      act(() =>
        store
          .getState()
          .actions.apply([{ type: 'block.replace', id: 'b3', block: { ...b, name: 'Renamed' } }]),
      );
    expect([...renders.keys()]).toEqual(['b3']);
  });
});
