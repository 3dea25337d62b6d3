/**
 * GraphiQL's build: web/dist-graphiql, served by the gateway at /graphiql in development only
 * (gateway/web/graphiql.ts). Separate from the storefront so that neither's assets or caching affect the other.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/graphiql/',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: resolve(here, '../dist-graphiql'),
    emptyOutDir: true,
    target: 'es2022',
    // Vite warns of chunks over 500 kB, for a page's first load. GraphiQL is a development tool whose editor (Monaco,
    // about 2.8 MB minified, one chunk) loads once and is cached; the shop's own budget is checked by bench/web.ts.
    // A chunk of GraphiQL past 8 MB is still worth a warning (kB, as Vite counts).
    chunkSizeWarningLimit: 8000,
  },
});
