/** A hook for tests that count renders (e.g. one status change re-renders one node); unset in the app. */
export const renderProbe: { onRender?: (kind: 'block' | 'edge', id: string) => void } = {};
