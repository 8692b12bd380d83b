import { useEditor, useEditorActions } from '../store/context';

/**
 * Where the canvas is: the graph, then each composite opened inside it. Each crumb goes back to
 * that level, writing the nested edits into their composites on the way.
 */
export function Breadcrumbs({ graphName }: { graphName: string }) {
  const scope = useEditor((s) => s.scope);
  const actions = useEditorActions();
  if (scope.length === 0) return null;
  return (
    <nav className="breadcrumbs" aria-label="Composite path" data-testid="breadcrumbs">
      <button type="button" className="crumb" onClick={() => actions.closeScopes(0)} data-testid="crumb-0">
        {graphName}
      </button>
      {scope.map((f, i) => (
        <span
          key={scope
            .slice(0, i + 1)
            .map((x) => x.blockId)
            .join('/')}
          className="crumb-step"
        >
          <span aria-hidden="true"> › </span>
          {i === scope.length - 1 ? (
            <span className="crumb is-current" aria-current="page" data-testid={`crumb-${i + 1}`}>
              {f.name}
            </span>
          ) : (
            <button
              type="button"
              className="crumb"
              onClick={() => actions.closeScopes(i + 1)}
              data-testid={`crumb-${i + 1}`}
            >
              {f.name}
            </button>
          )}
        </span>
      ))}
      <span className="crumb-hint">Editing the graph inside a composite: Escape or a crumb goes back.</span>
    </nav>
  );
}
