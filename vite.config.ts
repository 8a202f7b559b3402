import { defineConfig } from 'vite';

// base './': the built site works from any folder or CDN path (relative asset URLs).
export default defineConfig({
  base: './',
  server: { port: 5173, strictPort: false },
  build: { target: 'es2022', outDir: 'dist', sourcemap: false },
  worker: { format: 'es' },
});
