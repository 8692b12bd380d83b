import { useEffect, useRef, useSyncExternalStore } from 'react';

/** Toasts and the confirm dialog: small module-level stores, rendered once by the app shell. */

export type ToastKind = 'info' | 'success' | 'error';
interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly message: string;
}

let toasts: readonly Toast[] = [];
let nextId = 1;
const toastListeners = new Set<() => void>();
const emitToasts = () => {
  for (const l of toastListeners) l();
};

export function toast(message: string, kind: ToastKind = 'info', ms = 4000): void {
  const t = { id: nextId++, kind, message };
  toasts = [...toasts.slice(-4), t];
  emitToasts();
  setTimeout(() => {
    toasts = toasts.filter((x) => x !== t);
    emitToasts();
  }, ms);
}

export function Toasts() {
  const list = useSyncExternalStore(
    (l) => {
      toastListeners.add(l);
      return () => toastListeners.delete(l);
    },
    () => toasts,
  );
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {list.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`}>
          {t.message}
        </div>
      ))}
    </div>
  );
}

export interface ConfirmRequest {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
}

let pending: (ConfirmRequest & { resolve: (ok: boolean) => void }) | null = null;
const confirmListeners = new Set<() => void>();
const emitConfirm = () => {
  for (const l of confirmListeners) l();
};

/** Asks a yes/no question in an in-app dialog; resolves true when confirmed. */
export function confirmDialog(req: ConfirmRequest): Promise<boolean> {
  pending?.resolve(false);
  return new Promise((resolve) => {
    pending = { ...req, resolve };
    emitConfirm();
  });
}

function settle(ok: boolean): void {
  const p = pending;
  pending = null;
  emitConfirm();
  p?.resolve(ok);
}

export function ConfirmHost() {
  const req = useSyncExternalStore(
    (l) => {
      confirmListeners.add(l);
      return () => confirmListeners.delete(l);
    },
    () => pending,
  );
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!req) return;
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') settle(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [req]);
  if (!req) return null;
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        data-testid="confirm-dialog"
      >
        <h2 id="confirm-title">{req.title}</h2>
        <p>{req.message}</p>
        <div className="modal-actions">
          <button
            type="button"
            className="btn"
            ref={cancelRef}
            onClick={() => settle(false)}
            data-testid="confirm-cancel"
          >
            Cancel
          </button>
          <button
            type="button"
            className={req.danger ? 'btn btn-danger' : 'btn btn-primary'}
            onClick={() => settle(true)}
            data-testid="confirm-ok"
          >
            {req.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

/** Offers a file for download (built from text in the page; nothing is fetched). */
export function downloadText(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function fileNameFor(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'graph'}.json`;
}

/** Reads a chosen file as JSON. */
export async function readJsonFile(file: File): Promise<unknown> {
  const text = await file.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(
      `${file.name} is not JSON: export a graph from Graphwright, or pick a .json graph document.`,
    );
  }
}
