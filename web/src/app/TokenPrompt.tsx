import { type FormEvent, useState } from 'react';
import { accessToken, setAccessToken, useTokenNeeded } from '../api/auth';

/** Asks once for the server's access token when a call answered UNAUTHORIZED, then reloads. */
export function TokenPrompt() {
  const needed = useTokenNeeded();
  const [text, setText] = useState('');
  if (!needed) return null;
  const hadOne = accessToken() !== undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setAccessToken(text.trim());
    location.reload();
  };
  return (
    <div className="modal-backdrop">
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="token-title"
        onSubmit={submit}
        data-testid="token-prompt"
      >
        <h2 id="token-title">Access token</h2>
        <p>
          {hadOne
            ? 'The server did not accept the saved access token. Enter the current one.'
            : 'This server needs an access token (its GW_ACCESS_TOKEN). It is kept in this browser only.'}
        </p>
        <input
          className="input"
          type="password"
          autoComplete="off"
          aria-label="Access token"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="token-input"
          // biome-ignore lint/a11y/noAutofocus: the dialog exists only to take this value
          autoFocus
        />
        <div className="modal-actions">
          <button type="submit" className="btn btn-primary" data-testid="token-save">
            Save and reload
          </button>
        </div>
      </form>
    </div>
  );
}
