import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The app is served by the platform at /admin (src/dashboard). `npm run dashboard:dev` serves it with
// hot reload and forwards the API to a server on SWITCHBOARD_DEV_API (default http://localhost:3000).
const api = process.env.SWITCHBOARD_DEV_API ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  // Vite's own Oxc transform compiles TSX with React's automatic runtime (no Babel plugin needed).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Everything is a file of our own origin: nothing inlined as data: URLs, so the CSP stays simple.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
    rolldownOptions: {
      // Libraries mark modules "use client" for server components; a browser-only bundle has nothing to keep.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: {
    proxy: { '/api': { target: api, changeOrigin: false }, '/oauth': api, '/t/': api },
  },
});
