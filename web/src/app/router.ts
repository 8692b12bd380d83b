import { useSyncExternalStore } from 'react';

/** The app's routes: the graph list at `/`, a graph at `/graphs/:id` (bookmarkable), a share link at `/share/:id`. */
export type Route = { name: 'list' } | { name: 'graph'; id: string } | { name: 'share'; id: string };

function segment(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    // A mangled link (a lone "%") is an unknown one, not a crash.
    return undefined;
  }
}

export function parseRoute(pathname: string): Route {
  const m = /^\/graphs\/([^/]+)\/?$/.exec(pathname);
  const g = m?.[1] ? segment(m[1]) : undefined;
  if (g) return { name: 'graph', id: g };
  const sh = /^\/share\/([^/]+)\/?$/.exec(pathname);
  if (sh?.[1]) return { name: 'share', id: segment(sh[1]) ?? '' };
  return { name: 'list' };
}

export function sharePath(id: string): string {
  return `/share/${encodeURIComponent(id)}`;
}

export function graphPath(id: string): string {
  return `/graphs/${encodeURIComponent(id)}`;
}

type Listener = () => void;
const listeners = new Set<Listener>();
let current = typeof location === 'undefined' ? '/' : location.pathname;

/** Says why leaving now would lose work (or null); set by the editor while it has unsaved changes. */
let guard: (() => string | null) | null = null;
/** Asks the person whether to leave anyway; set by the app shell. */
let confirmLeave: ((message: string) => Promise<boolean>) | null = null;

function emit(): void {
  for (const l of listeners) l();
}

export function setNavigationGuard(g: (() => string | null) | null): void {
  guard = g;
}

export function setLeaveConfirmer(c: ((message: string) => Promise<boolean>) | null): void {
  confirmLeave = c;
}

async function mayLeave(): Promise<boolean> {
  const message = guard?.();
  if (!message) return true;
  return confirmLeave ? confirmLeave(message) : true;
}

/** Goes to a path, asking first when the editor has unsaved changes. Resolves whether it went. */
export async function navigate(
  path: string,
  opts: { replace?: boolean; force?: boolean } = {},
): Promise<boolean> {
  if (path === current) return true;
  if (!opts.force && !(await mayLeave())) return false;
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  current = path;
  emit();
  return true;
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    const target = location.pathname;
    if (target === current) return;
    if (!guard?.()) {
      current = target;
      emit();
      return;
    }
    // Stay put until the person decides; the browser has already moved the URL, so move it back.
    const stay = current;
    history.pushState(null, '', stay);
    void mayLeave().then((ok) => {
      if (ok) void navigate(target, { force: true });
    });
  });
}

function subscribe(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, () => current);
  return parseRoute(path);
}
