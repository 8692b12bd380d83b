import type { ReactNode } from 'react';
import { BlockRunPanel } from './BlockRunView';
import { useRun, useRunStore } from './context';

/** A selected block in the inspector: its configuration, or what it did in the shown run. */
export function BlockTabs({ id, config }: { id: string; config: ReactNode }) {
  const tab = useRun((s) => s.inspectorTab);
  const status = useRun((s) => s.shown?.blocks.get(id)?.status);
  const store = useRunStore();
  const set = (t: 'config' | 'run') => store.getState().actions.setInspectorTab(t);
  return (
    <>
      <div className="tabs" role="tablist" aria-label="Block">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'config'}
          className={`tab${tab === 'config' ? ' is-active' : ''}`}
          onClick={() => set('config')}
          data-testid="inspector-tab-config"
        >
          Configure
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'run'}
          className={`tab${tab === 'run' ? ' is-active' : ''}`}
          onClick={() => set('run')}
          data-testid="inspector-tab-run"
        >
          Run{status ? ` · ${status}` : ''}
        </button>
      </div>
      {tab === 'run' ? <BlockRunPanel id={id} /> : config}
    </>
  );
}
