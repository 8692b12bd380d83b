import { useEffect, useRef } from 'react';
import { useEditorStore } from '../store/context';
import { isEditableTarget, rememberClipboard, useClipboardCommands } from './clipboard-commands';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export interface ShortcutHandlers {
  save(): void;
  layout(): void;
  group(): void;
  ungroup(): void;
  help(): void;
}

/**
 * Editor keyboard shortcuts: ⌘/Ctrl-S save (anywhere), and, outside text fields, undo/redo
 * (⌘/Ctrl-Z, ⇧⌘/Ctrl-Shift-Z, Ctrl-Y), duplicate (⌘/Ctrl-D), select all (⌘/Ctrl-A), Escape to
 * deselect (or leave an open composite), group/ungroup (⌘/Ctrl-G, with Shift), auto-layout (Shift-L),
 * "?" for the list, and copy/cut/paste of blocks through the system clipboard. Delete/Backspace is
 * the canvas's.
 */
export function useEditorShortcuts(handlers: ShortcutHandlers): void {
  const store = useEditorStore();
  const clip = useClipboardCommands();
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = isMac ? e.metaKey : e.ctrlKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        ref.current.save();
        return;
      }
      if (
        isEditableTarget(e.target) ||
        document.querySelector('[data-testid="confirm-dialog"], [data-testid="shortcuts-help"]')
      )
        return;
      const { actions, scope, selectedBlocks, selectedTransitions } = store.getState();
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) actions.redo();
        else actions.undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        actions.redo();
      } else if (mod && key === 'd') {
        e.preventDefault();
        actions.duplicateSelection();
      } else if (mod && key === 'a') {
        e.preventDefault();
        actions.selectAll();
      } else if (mod && key === 'g') {
        e.preventDefault();
        if (e.shiftKey) ref.current.ungroup();
        else ref.current.group();
      } else if (!mod && e.shiftKey && key === 'l') {
        e.preventDefault();
        ref.current.layout();
      } else if (e.key === '?') {
        e.preventDefault();
        ref.current.help();
      } else if (key === 'escape') {
        // Nothing selected inside a composite: Escape goes back out to the graph around it.
        if (selectedBlocks.size + selectedTransitions.size === 0 && scope.length > 0)
          actions.closeScopes(scope.length - 1);
        else actions.clearSelection();
      }
    };
    const onCopy = (e: ClipboardEvent) => {
      if (isEditableTarget(e.target) || hasTextSelection()) return;
      const text = clip.copyText();
      if (!text || !e.clipboardData) return;
      e.preventDefault();
      e.clipboardData.setData('text/plain', text);
      rememberClipboard(text);
      if (e.type === 'cut') store.getState().actions.deleteSelection();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (isEditableTarget(e.target)) return;
      const text = e.clipboardData?.getData('text/plain');
      e.preventDefault();
      clip.pasteText(text);
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [store, clip]);
}

/** Text selected on the page (e.g. a diagnostic message) is copied as text, not as blocks. */
function hasTextSelection(): boolean {
  const sel = window.getSelection();
  return sel !== null && !sel.isCollapsed && sel.toString().length > 0;
}
