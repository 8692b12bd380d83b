import { useEffect, useState } from 'react';
import { errorMessage } from '../api/errors';
import { api } from '../api/trpc';
import { EditorPage } from '../editor/EditorPage';
import { SharePage } from '../share/SharePage';
import { ConfirmHost, confirmDialog, Toasts } from './feedback';
import { GraphListPage } from './GraphListPage';
import { navigate, setLeaveConfirmer, useRoute } from './router';
import { TokenPrompt } from './TokenPrompt';

function ServerStatus() {
  const [status, setStatus] = useState('connecting…');
  useEffect(() => {
    api.system.health
      .query()
      .then(() => setStatus('server connected'))
      .catch((e: unknown) => setStatus(`server unreachable: ${errorMessage(e)}`));
  }, []);
  return (
    <span
      className={`server-status${status === 'server connected' ? ' is-ok' : ''}`}
      data-testid="server-status"
    >
      {status}
    </span>
  );
}

export function App() {
  const route = useRoute();
  useEffect(() => {
    setLeaveConfirmer((message) =>
      confirmDialog({
        title: 'Leave without saving?',
        message,
        confirmLabel: 'Discard changes',
        danger: true,
      }),
    );
    return () => setLeaveConfirmer(null);
  }, []);
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          <a
            href="/"
            onClick={(e) => {
              e.preventDefault();
              void navigate('/');
            }}
          >
            Graphwright
          </a>
        </h1>
        {/* A share link needs no access token: the page calls nothing but the public share.open. */}
        {route.name !== 'share' && <ServerStatus />}
      </header>
      {route.name === 'graph' ? (
        <EditorPage key={route.id} id={route.id} />
      ) : route.name === 'share' ? (
        <SharePage key={route.id} id={route.id} />
      ) : (
        <GraphListPage />
      )}
      <ConfirmHost />
      <Toasts />
      <TokenPrompt />
    </div>
  );
}
