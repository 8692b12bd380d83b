import { useEffect, useRef } from 'react';

const mod = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Delete / Backspace', does: 'Delete the selected blocks and transitions' },
  { keys: `${mod}Z`, does: 'Undo' },
  { keys: `${mod}Shift+Z / ${mod}Y`, does: 'Redo' },
  { keys: `${mod}C / ${mod}X / ${mod}V`, does: 'Copy, cut and paste blocks' },
  { keys: `${mod}D`, does: 'Duplicate the selection' },
  { keys: `${mod}A`, does: 'Select all' },
  { keys: `${mod}G / ${mod}Shift+G`, does: 'Group the selection into a composite / ungroup it' },
  { keys: 'Shift+L', does: 'Auto-layout the graph' },
  { keys: `${mod}S`, does: 'Save a new version' },
  { keys: 'Escape', does: 'Clear the selection, leave a composite, close this help' },
  { keys: '?', does: 'Show these shortcuts' },
];

/** The keyboard shortcuts, opened with "?" or the toolbar's "?" button. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: a click on the backdrop closes; Escape is the keyboard way
    <div className="modal-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-help"
      >
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{s.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-actions">
          <button
            type="button"
            className="btn"
            ref={closeRef}
            onClick={onClose}
            data-testid="shortcuts-close"
          >
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
