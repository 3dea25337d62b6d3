/**
 * The storefront's build (`npm start` runs it when web/dist is missing or stale: scripts/web-build.ts) and its
 * dev server (`npm run web:dev`, proxying the API to the gateway at GATEWAY_URL, default http://localhost:4000).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';

const here = dirname(fileURLToPath(import.meta.url));
const MANIFEST = resolve(here, 'persisted-query-manifest.json');
const VIRTUAL_ID = 'virtual:persisted-query-ids';

/**
 * `virtual:persisted-query-ids`: the id and name of each operation of web/persisted-query-manifest.json. The
 * client needs only these to send operations by id; the bodies stay out of the bundle.
 */
function persistedQueryIds(): Plugin {
  return {
    name: 'persisted-query-ids',
    resolveId: (id) => (id === VIRTUAL_ID ? `\0${VIRTUAL_ID}` : undefined),
    load(id) {
      if (id !== `\0${VIRTUAL_ID}`) return undefined;
      this.addWatchFile(MANIFEST);
      const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { operations: { id: string; name: string }[] };
      const operations = manifest.operations.map(({ id: operationId, name }) => ({ id: operationId, name }));
      return `export default ${JSON.stringify({ operations })};`;
    },
  };
}

const gateway = process.env['GATEWAY_URL'] ?? 'http://localhost:4000';

export default defineConfig({
  root: here,
  plugins: [
    react(),
    persistedQueryIds(),
    // Precompressed copies next to each asset: the gateway serves them as they are (gateway/web/static-site.ts).
    compression({ algorithms: ['gzip', 'brotliCompress'], include: [/\.(js|css|html|svg|json)$/], threshold: 512 }),
  ],
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    // .vite/manifest.json: which chunks the first page loads (bench/web.ts measures them).
    manifest: true,
    target: 'es2022',
  },
  // Only the shop's page: web/graphiql/ has its own build (and Monaco's workers need its config).
  optimizeDeps: { entries: ['index.html'] },
  server: {
    port: Number(process.env['WEB_DEV_PORT'] ?? 5173),
    strictPort: false,
    // Builds (and the temporary directories a build swaps through) are outputs, not sources to reload on.
    watch: { ignored: ['**/dist/**', '**/dist-graphiql/**', '**/dist.*/**', '**/dist-graphiql.*/**'] },
    proxy: {
      '/graphql': { target: gateway, ws: true, changeOrigin: true },
      '/dev/token': { target: gateway, changeOrigin: true },
      '/graphiql': { target: gateway, changeOrigin: true },
    },
  },
});
