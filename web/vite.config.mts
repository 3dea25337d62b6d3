/**
 * The storefront's build (`npm start` runs it when web/dist is missing or stale: scripts/web-build.ts), also used
 * by its dev server (`npm run web:dev`: scripts/web-dev.ts adds the port and the proxy to the gateway).
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
    // Builds (and the temporary directories a build swaps through) are outputs, not sources to reload on.
    watch: { ignored: ['**/dist/**', '**/dist-graphiql/**', '**/dist.*/**', '**/dist-graphiql.*/**'] },
  },
});
