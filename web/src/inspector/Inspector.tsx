import type { ReactNode } from 'react';
import type { ProvidersState } from '../api/providers';
import { BlockTabs } from '../run/BlockTabs';
import { useEditor, useEditorActions } from '../store/context';
import { BlockForm } from './BlockForm';
import { GraphSettings } from './GraphSettings';
import { TransitionForm } from './TransitionForm';

function first(set: ReadonlySet<string>): string | undefined {
  for (const x of set) return x;
  return undefined;
}

/** The right-hand panel: the form for what is selected, or the graph's settings. */
export function Inspector({ providers }: { providers: ProvidersState }) {
  const blocks = useEditor((s) => s.selectedBlocks);
  const transitions = useEditor((s) => s.selectedTransitions);
  const actions = useEditorActions();
  const count = blocks.size + transitions.size;
  let body: ReactNode;
  if (count === 0) body = <GraphSettings providers={providers} />;
  else if (blocks.size === 1 && transitions.size === 0) {
    const id = first(blocks) as string;
    body = <BlockTabs key={id} id={id} config={<BlockForm id={id} providers={providers} />} />;
  } else if (blocks.size === 0 && transitions.size === 1) {
    const id = first(transitions) as string;
    body = <TransitionForm key={id} id={id} />;
  } else {
    body = (
      <div className="form" data-testid="multi-selection">
        <h2 className="panel-title">
          {blocks.size} block{blocks.size === 1 ? '' : 's'}, {transitions.size} transition
          {transitions.size === 1 ? '' : 's'} selected
        </h2>
        <div className="row">
          <button type="button" className="btn" onClick={() => actions.duplicateSelection()}>
            Duplicate
          </button>
          <button type="button" className="btn btn-danger" onClick={() => actions.deleteSelection()}>
            Delete
          </button>
        </div>
      </div>
    );
  }
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      {body}
    </aside>
  );
}
