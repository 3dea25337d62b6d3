/**
 * The storefront's weight: the JavaScript a browser downloads for the first page (the entry chunk and every chunk
 * it imports statically, as index.html loads and preloads them), gzipped, against a budget of 150 kB. Pages
 * loaded on demand (cart, orders, rewards, sign-in, admin) are listed but not counted. Builds the production
 * bundle first when it is missing or stale (scripts/web-build.ts).
 *
 *   npm run bench -- web
 *
 * Sizes are compressed here with gzip level 9 (what the build's precompressed .gz files use) and brotli quality
 * 11 (the .br files); kB = 1,000 bytes.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ensureWebBuild } from '../scripts/web-build';
import { table, targetsSection, type BenchReport, type Target } from './support/bench';

export const FIRST_PAGE_JS_BUDGET_BYTES = 150_000;
const DIST = resolve(__dirname, '../web/dist');

interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly css?: readonly string[];
}

interface FileSize {
  readonly file: string;
  readonly raw: number;
  readonly gzip: number;
  readonly brotli: number;
}

function sizeOf(file: string): FileSize {
  const content = readFileSync(join(DIST, file));
  return {
    file,
    raw: content.length,
    gzip: gzipSync(content, { level: 9 }).length,
    brotli: brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const sum = (files: readonly FileSize[], key: 'raw' | 'gzip' | 'brotli') => files.reduce((total, file) => total + file[key], 0);

/** The entry and its static imports, transitively: what loads before the first page can render. */
export function firstPageChunks(manifest: Readonly<Record<string, ManifestChunk>>): { js: string[]; css: string[] } {
  const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
  if (!entry) throw new Error('the Vite manifest has no entry chunk');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  visit(entry[0]);
  const chunks = [...seen].map((key) => manifest[key]!);
  return { js: chunks.map((chunk) => chunk.file), css: [...new Set(chunks.flatMap((chunk) => chunk.css ?? []))] };
}

export async function run(): Promise<BenchReport> {
  await ensureWebBuild({ log: (message) => console.log(message) });
  const manifest = JSON.parse(readFileSync(join(DIST, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const first = firstPageChunks(manifest);

  // What index.html itself loads must be exactly that set: the page references the entry and preloads its imports.
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const referenced = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!).sort();
  if (JSON.stringify(referenced) !== JSON.stringify([...first.js].sort())) {
    throw new Error(`index.html loads ${referenced.join(', ')} but the manifest's first page is ${first.js.join(', ')}`);
  }

  const firstJs = first.js.map(sizeOf);
  const firstCss = first.css.map(sizeOf);
  const allJs = [...new Set(Object.values(manifest).map((chunk) => chunk.file))].filter((file) => file.endsWith('.js'));
  const lazyJs = allJs.filter((file) => !first.js.includes(file)).map(sizeOf);

  const measured = sum(firstJs, 'gzip');
  const targets: Target[] = [
    { what: 'first page JavaScript, gzipped', target: `< ${kB(FIRST_PAGE_JS_BUDGET_BYTES)}`, measured: kB(measured), met: measured < FIRST_PAGE_JS_BUDGET_BYTES },
  ];
  const row = (size: FileSize) => [size.file, kB(size.raw), kB(size.gzip), kB(size.brotli)];
  const summary = [
    'First page (loaded by index.html):',
    table(['file', 'minified', 'gzip', 'brotli'], [...firstJs, ...firstCss].map(row)),
    `JavaScript: ${kB(sum(firstJs, 'raw'))} minified, ${kB(measured)} gzip, ${kB(sum(firstJs, 'brotli'))} brotli`,
    '',
    'Loaded on demand (not counted):',
    table(['file', 'minified', 'gzip', 'brotli'], lazyJs.map(row)),
    `JavaScript: ${kB(sum(lazyJs, 'gzip'))} gzip over ${lazyJs.length} chunks`,
    '',
    targetsSection(targets),
  ].join('\n');

  return {
    summary,
    data: {
      budgetBytes: FIRST_PAGE_JS_BUDGET_BYTES,
      firstPage: { js: firstJs, css: firstCss, jsGzipBytes: measured, jsBrotliBytes: sum(firstJs, 'brotli'), jsRawBytes: sum(firstJs, 'raw') },
      onDemand: { js: lazyJs, jsGzipBytes: sum(lazyJs, 'gzip') },
      targets,
    },
  };
}
