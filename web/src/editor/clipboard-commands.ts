import { useReactFlow } from '@xyflow/react';
import { useCallback, useMemo } from 'react';
import { toast } from '../app/feedback';
import { type ClipboardPayload, parseClipboard, serializeClipboard } from '../store/clipboard';
import { useEditorStore } from '../store/context';
import type { XY } from '../store/types';

/** The last copied text, for when the system clipboard cannot be read (no permission, no focus). */
let memory: string | undefined;

export function rememberClipboard(text: string): void {
  memory = text;
}

export async function writeClipboard(text: string): Promise<void> {
  memory = text;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // The in-page copy still works for pasting within this tab.
  }
}

export async function readClipboard(): Promise<string | undefined> {
  try {
    const text = await navigator.clipboard.readText();
    return text || memory;
  } catch {
    return memory;
  }
}

/** Is the event's target a text field, where copy/paste and undo belong to the field? */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/** Copy, cut and paste of blocks as JSON through the system clipboard. */
export function useClipboardCommands() {
  const store = useEditorStore();
  const { getViewport } = useReactFlow();

  /** Where pasted blocks go: next to the originals when those are in view, else the middle of the view. */
  const offsetFor = useCallback(
    (p: ClipboardPayload): XY => {
      const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      const xs = p.blocks.map((b) => b.position?.x ?? 0);
      const ys = p.blocks.map((b) => b.position?.y ?? 0);
      const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
      const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
      if (!canvas) return { x: 40, y: 40 };
      const { x, y, zoom } = getViewport();
      const view = { x: -x / zoom, y: -y / zoom, w: canvas.width / zoom, h: canvas.height / zoom };
      const inView = cx >= view.x && cx <= view.x + view.w && cy >= view.y && cy <= view.y + view.h;
      if (inView) return { x: 40, y: 40 };
      return { x: Math.round(view.x + view.w / 2 - cx), y: Math.round(view.y + view.h / 2 - cy) };
    },
    [getViewport],
  );

  const copyText = useCallback((): string | undefined => {
    const payload = store.getState().actions.copySelection();
    return payload ? serializeClipboard(payload) : undefined;
  }, [store]);

  const copy = useCallback(async () => {
    const text = copyText();
    if (!text) return false;
    await writeClipboard(text);
    return true;
  }, [copyText]);

  const cut = useCallback(async () => {
    if (!(await copy())) return;
    store.getState().actions.deleteSelection();
  }, [copy, store]);

  const pasteText = useCallback(
    (text: string | undefined) => {
      if (!text) {
        toast('The clipboard is empty: copy some blocks first.', 'error');
        return;
      }
      const r = parseClipboard(text);
      if (!r.ok) {
        toast(r.message, 'error');
        return;
      }
      const ids = store.getState().actions.paste(r.payload, offsetFor(r.payload));
      toast(`Pasted ${ids.length} block${ids.length === 1 ? '' : 's'}`);
    },
    [store, offsetFor],
  );

  const paste = useCallback(async () => pasteText(await readClipboard()), [pasteText]);

  return useMemo(() => ({ copy, cut, paste, copyText, pasteText }), [copy, cut, paste, copyText, pasteText]);
}
