import { useEffect, useState } from 'react';

/** Human units for the run views. */

export function fmtMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1) return '<1 ms';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export function fmtUsd(usd: number | undefined | null): string {
  if (usd === null) return 'unknown';
  if (usd === undefined || !Number.isFinite(usd)) return '–';
  if (usd === 0) return '$0';
  if (usd < 0.000001) return '<$0.000001';
  if (usd < 0.01) return `$${usd.toFixed(6)}`;
  return `$${usd.toFixed(4)}`;
}

export function fmtTime(at: number | undefined): string {
  return at === undefined ? '–' : new Date(at).toLocaleTimeString();
}

/** A value as readable JSON (strings as they are). Always rendered as text. */
export function fmtJson(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  try {
    return JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Ratio of actual to expected, as "+12%" / "−30%"; undefined when either is missing. */
export function fmtDelta(actual: number | undefined | null, expected: number | undefined | null): string {
  if (actual == null || expected == null || !Number.isFinite(actual) || !(expected > 0)) return '';
  const pct = Math.round(((actual - expected) / expected) * 100);
  return pct === 0 ? '±0%' : pct > 0 ? `+${pct}%` : `−${-pct}%`;
}

/** The current time, ticking while `active` (one timer per component that asks). */
export function useNow(active: boolean, everyMs = 200): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [active, everyMs]);
  return now;
}

/** The server's time now, given the store's clock offset (event times are the server's). */
export function serverNow(now: number, clockOffset: number): number {
  return now - clockOffset;
}
