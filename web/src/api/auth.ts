import { useSyncExternalStore } from 'react';

/**
 * The server's access token (GW_ACCESS_TOKEN), when it asks for one: entered once, kept in
 * localStorage, sent as `Authorization: Bearer` on HTTP and as `?token=` on the SSE URL
 * (EventSource cannot set headers).
 */

const KEY = 'graphwright.accessToken';

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export function accessToken(): string | undefined {
  return storage()?.getItem(KEY) || undefined;
}

export function setAccessToken(token: string | undefined): void {
  const s = storage();
  if (!s) return;
  if (token) s.setItem(KEY, token);
  else s.removeItem(KEY);
}

export function authHeaders(): Record<string, string> {
  const t = accessToken();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

/** Adds the token to an SSE URL (which already has a query string from tRPC). */
export function withToken(url: string): string {
  const t = accessToken();
  if (!t) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(t)}`;
}

let needed = false;
const listeners = new Set<() => void>();

/** Called when a call answered UNAUTHORIZED: the app shell then asks for the token. */
export function markUnauthorized(): void {
  if (needed) return;
  needed = true;
  for (const l of listeners) l();
}

export function useTokenNeeded(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => needed,
  );
}
