import { type FormEvent, useRef, useState } from 'react';
import { errorMessage } from '../api/errors';
import { downloadText, fileNameFor, readJsonFile, toast } from '../app/feedback';
import { navigate } from '../app/router';
import { ShareButton } from '../share/ShareDialog';
import { useEditor, useEditorActions, useEditorStore } from '../store/context';
import { isDirty } from '../store/store';
import { useClipboardCommands } from './clipboard-commands';
import type { GraphCommands } from './graph-commands';

const mod = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

function GraphName({ name, onRename }: { name: string; onRename: (n: string) => Promise<boolean> }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(name);
  if (!editing)
    return (
      <button
        type="button"
        className="graph-name"
        onClick={() => {
          setText(name);
          setEditing(true);
        }}
        title="Rename this graph"
        data-testid="graph-name"
      >
        {name}
      </button>
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() && text.trim() !== name) {
      if (!(await onRename(text))) return;
    }
    setEditing(false);
  };
  return (
    <form onSubmit={submit} className="row">
      <input
        className="input"
        aria-label="Graph name"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => setEditing(false)}
        onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
        data-testid="graph-name-input"
        // biome-ignore lint/a11y/noAutofocus: shown because the person clicked the name to rename it
        autoFocus
      />
    </form>
  );
}

/** The editor's toolbar: graph name, save state, edit commands, history, import/export. */
export function Toolbar({
  graphId,
  name,
  version,
  saving,
  showVersions,
  onSave,
  onRename,
  onToggleVersions,
  onReplace,
  commands,
}: {
  graphId: string;
  name: string;
  version: number;
  saving: boolean;
  showVersions: boolean;
  onSave: () => void;
  onRename: (n: string) => Promise<boolean>;
  onToggleVersions: () => void;
  onReplace: (doc: unknown) => void;
  commands: GraphCommands;
}) {
  const store = useEditorStore();
  const actions = useEditorActions();
  const dirty = useEditor(isDirty);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const hasSelection = useEditor((s) => s.selectedBlocks.size + s.selectedTransitions.size > 0);
  const hasBlocksSelected = useEditor((s) => s.selectedBlocks.size > 0);
  const oneComposite = useEditor(
    (s) =>
      s.selectedBlocks.size === 1 &&
      s.blockLookup.get(s.selectedBlocks.values().next().value as string)?.type === 'composite',
  );
  const clip = useClipboardCommands();
  const fileRef = useRef<HTMLInputElement>(null);

  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <a
        className="btn btn-ghost"
        href="/"
        onClick={(e) => {
          e.preventDefault();
          void navigate('/');
        }}
        data-testid="back-to-list"
      >
        ← Graphs
      </a>
      <GraphName name={name} onRename={onRename} />
      <span className={`save-state${dirty ? ' is-dirty' : ''}`} data-testid="save-state">
        {saving ? 'Saving…' : dirty ? 'Unsaved changes' : `Saved · v${version}`}
      </span>
      <span className="toolbar-sep" />
      <button
        type="button"
        className="btn"
        onClick={actions.undo}
        disabled={!canUndo}
        title={`Undo (${mod}Z)`}
        data-testid="undo"
      >
        Undo
      </button>
      <button
        type="button"
        className="btn"
        onClick={actions.redo}
        disabled={!canRedo}
        title={`Redo (${mod}Shift+Z)`}
        data-testid="redo"
      >
        Redo
      </button>
      <span className="toolbar-sep" />
      <button
        type="button"
        className="btn"
        onClick={() => void clip.copy()}
        disabled={!hasBlocksSelected}
        title={`Copy (${mod}C)`}
        data-testid="copy"
      >
        Copy
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => void clip.cut()}
        disabled={!hasBlocksSelected}
        title={`Cut (${mod}X)`}
        data-testid="cut"
      >
        Cut
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => void clip.paste()}
        title={`Paste (${mod}V)`}
        data-testid="paste"
      >
        Paste
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => actions.duplicateSelection()}
        disabled={!hasBlocksSelected}
        title={`Duplicate (${mod}D)`}
        data-testid="duplicate"
      >
        Duplicate
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => actions.deleteSelection()}
        disabled={!hasSelection}
        title="Delete (Delete / Backspace)"
        data-testid="delete"
      >
        Delete
      </button>
      <span className="toolbar-sep" />
      <button
        type="button"
        className="btn"
        onClick={commands.group}
        disabled={!hasBlocksSelected}
        title={`Group the selected blocks into a composite (${mod}G)`}
        data-testid="group"
      >
        Group
      </button>
      <button
        type="button"
        className="btn"
        onClick={commands.ungroup}
        disabled={!oneComposite}
        title={`Replace the selected composite by the blocks inside it (${mod}Shift+G)`}
        data-testid="ungroup"
      >
        Ungroup
      </button>
      <span className="toolbar-spacer" />
      <button
        type="button"
        className={`btn${showVersions ? ' is-on' : ''}`}
        onClick={onToggleVersions}
        aria-pressed={showVersions}
        data-testid="toggle-versions"
      >
        History
      </button>
      <ShareButton graphId={graphId} version={version} />
      <button
        type="button"
        className="btn"
        data-testid="export"
        onClick={() =>
          downloadText(fileNameFor(name), JSON.stringify(store.getState().actions.document(), null, 2))
        }
      >
        Export
      </button>
      <label className="btn" title="Replace this graph's blocks with a graph document from a file (undoable)">
        Import…
        <input
          ref={fileRef}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          data-testid="replace-file"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            try {
              onReplace(await readJsonFile(file));
            } catch (err) {
              toast(errorMessage(err), 'error');
            } finally {
              if (fileRef.current) fileRef.current.value = '';
            }
          }}
        />
      </label>
      <button
        type="button"
        className="btn btn-primary"
        onClick={onSave}
        disabled={saving}
        title={`Save a new version (${mod}S)`}
        data-testid="save"
      >
        Save
      </button>
    </div>
  );
}
