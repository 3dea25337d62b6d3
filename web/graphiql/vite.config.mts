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
    chunkSizeWarningLimit: 8000,
  },
});
