/** The run shown in the editor travels in the URL (`/graphs/:id?run=<runId>`), so a reload or a shared address reopens it. */

export function runFromUrl(): string | undefined {
  if (typeof location === 'undefined') return undefined;
  return new URLSearchParams(location.search).get('run') ?? undefined;
}

export function setRunInUrl(runId: string | undefined): void {
  if (typeof location === 'undefined') return;
  const params = new URLSearchParams(location.search);
  if (runId) params.set('run', runId);
  else params.delete('run');
  const q = params.toString();
  const next = `${location.pathname}${q ? `?${q}` : ''}${location.hash}`;
  if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', next);
}
