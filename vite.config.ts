import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app lives in web/; the API server serves web/dist on the same port in production.
const apiPort = Number(process.env.GW_PORT ?? 4317);

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/trpc': `http://127.0.0.1:${apiPort}`, '/api': `http://127.0.0.1:${apiPort}` } },
});
