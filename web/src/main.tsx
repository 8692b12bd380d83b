import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/trpc';

function App() {
  const [status, setStatus] = useState('connecting…');
  useEffect(() => {
    api.system.health
      .query()
      .then(() => setStatus('server connected'))
      .catch((e: unknown) => setStatus(`server unreachable: ${e instanceof Error ? e.message : String(e)}`));
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui', padding: 24 }}>
      <h1>Graphwright</h1>
      <p data-testid="server-status">{status}</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
