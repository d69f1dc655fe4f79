import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The portal is its own Vite root, built to web/dist, which `retract serve` serves. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // One bundle of about 400 kB (120 kB gzipped) is fine for an admin portal.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
  // The harness pages load only under the dev server in tests; the build ships index.html alone.
  server: { host: '127.0.0.1', strictPort: false },
});
