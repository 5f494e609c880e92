import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The browser client. `vite build` writes dist/client, which the Node server serves (index.html for
// `/` and `/s/*`). `vite` (npm run dev:client) serves the client with hot reload and forwards the
// API, WebSockets included, to a server running on its default port.
export default defineConfig({
  root: 'client',
  // No svelte.config.js: Svelte 5 compiles <script lang="ts"> itself, so no preprocessing is needed.
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
});
