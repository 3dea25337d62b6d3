import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions, LAMBDA_ENTRY_FILES, REPO_ROOT, type LambdaEntryName } from '../lib/bundling';

/**
 * What keeps the Lambda bundles within their budget (1.5 MB, `npm run bench -- lambda`) and their cold starts short,
 * checked on the bundles built as deployed (infra/lib/bundling.ts): an import chain that drags a library back in
 * does not fail any other test.
 */

const ENTRIES = Object.keys(LAMBDA_ENTRY_FILES) as LambdaEntryName[];
const SUBGRAPHS: readonly LambdaEntryName[] = ['catalog', 'orders', 'rewards', 'payments', 'shipping'];
let work: string;
const metafiles = new Map<LambdaEntryName, Metafile>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lambda-bundles-'));
  for (const entry of ENTRIES) metafiles.set(entry, (await build({ ...esbuildOptions(entry, join(work, entry, 'index.js')), logLevel: 'silent' })).metafile);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The modules whose code is in the bundle (the metafile's inputs also list what tree shaking dropped). */
const inputs = (entry: LambdaEntryName) =>
  Object.values(metafiles.get(entry)!.outputs).flatMap((output) => Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path));
const bundles = (entry: LambdaEntryName, pkg: string) => inputs(entry).some((input) => input.includes(`node_modules/${pkg}/`));
/** How each module of the bundle imports `path`: `import-statement` and `require-call` run at load, `dynamic-import` on demand. */
const importKinds = (entry: LambdaEntryName, path: string) =>
  [...new Set(Object.values(metafiles.get(entry)!.inputs).flatMap((input) => input.imports.filter((imported) => imported.path === path).map((imported) => imported.kind)))];

describe('the Lambda bundles', () => {
  it('carry no federation library: subgraph schemas are compiled by codegen (lib/graphql/subgraph-schema.ts)', () => {
    for (const entry of ENTRIES) expect([entry, bundles(entry, '@apollo/federation-internals')]).toEqual([entry, false]);
    for (const entry of SUBGRAPHS) expect([entry, bundles(entry, '@apollo/subgraph')]).toEqual([entry, true]);
  });

  it('carry undici only in Orders (the Catalog ACL’s caching client), with its SIMD parser alone', () => {
    expect(ENTRIES.filter((entry) => bundles(entry, 'undici'))).toEqual(['orders']);
    expect(inputs('orders').filter((input) => input.includes('node_modules/undici/lib/llhttp/llhttp'))).toEqual(['node_modules/undici/lib/llhttp/llhttp_simd-wasm.js']);
  });

  it('carry no Redis client where no Redis is used: Orders (the ACL’s cache) and the fan-out (the gateway’s cache) only', () => {
    expect(ENTRIES.filter((entry) => bundles(entry, 'iovalkey'))).toEqual(['orders', 'fanout']);
  });

  it('load the Secrets Manager and SSM clients only when a reference to their store is set', () => {
    for (const entry of ENTRIES) {
      for (const client of ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm']) expect([entry, client, importKinds(entry, client)]).toEqual([entry, client, ['dynamic-import']]);
    }
  });
});

/** Runs `node [flags] file` with only PATH and `env` (no JEST_WORKER_ID: as on Lambda), resolving with its outcome. */
function runNode(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('stack traces of a bundled function', () => {
  let bundle: string;
  const sources = () => join(work, 'stack');
  beforeAll(async () => {
    mkdirSync(sources(), { recursive: true });
    writeFileSync(join(sources(), 'thrower.ts'), `export function failDeep(): never {\n  throw new Error('deep failure');\n}\n`);
    writeFileSync(
      join(sources(), 'entry.ts'),
      `import { renameSync } from 'node:fs';
import { mapBundleStackTracesOnDemand } from ${JSON.stringify(resolve(REPO_ROOT, 'lib/runtime/lambda-stack-traces'))};
import { failDeep } from './thrower';

mapBundleStackTracesOnDemand(__filename);
if (process.env['MAP_GONE']) renameSync(\`\${__filename}.map\`, \`\${__filename}.map.gone\`);
try {
  failDeep();
} catch (error) {
  console.log((error as Error).stack);
}
`,
    );
    bundle = join(work, 'stack-out', 'index.js');
    await build({ ...esbuildOptions('orders', bundle), entryPoints: [join(sources(), 'entry.ts')], logLevel: 'silent' });
  });

  /** The TypeScript locations a stack names, in order. */
  const typeScriptFrames = (stack: string) => [...stack.matchAll(/\(?([^\s()]+\.ts):(\d+):(\d+)\)?$/gm)].map((match) => `${match[1]}:${match[2]}:${match[3]}`);

  it('point at the TypeScript lines without the flag, written as --enable-source-maps writes them', async () => {
    const onDemand = await runNode([bundle]);
    const withFlag = await runNode(['--enable-source-maps', bundle]);
    expect([onDemand.code, withFlag.code]).toEqual([0, 0]);
    expect(onDemand.stdout.split('\n')[0]).toBe('Error: deep failure');
    expect(typeScriptFrames(onDemand.stdout).slice(0, 2)).toEqual([`${join(sources(), 'thrower.ts')}:2:9`, `${join(sources(), 'entry.ts')}:8:3`]);
    expect(onDemand.stdout).toBe(withFlag.stdout);
  });

  it('read the map only when a stack is formatted, not when the bundle loads', async () => {
    const copy = join(work, 'stack-gone', 'index.js');
    mkdirSync(join(work, 'stack-gone'), { recursive: true });
    copyFileSync(bundle, copy);
    copyFileSync(`${bundle}.map`, `${copy}.map`);
    // The map disappears after start-up: had it been read then, the frames would still be mapped.
    const run = await runNode([copy], { MAP_GONE: '1' });
    expect(run.code).toBe(0);
    expect(typeScriptFrames(run.stdout)).toEqual([]);
    expect(run.stdout).toContain(`${copy}:`);
  });
});

describe('undici as bundled for Orders', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_request, response) => response.end('answered'));
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

  it('serves a request with its SIMD parser, the fallback parser left out', async () => {
    const entry = join(work, 'undici-entry.ts');
    writeFileSync(
      entry,
      `import { createKeepAliveAgent } from ${JSON.stringify(resolve(REPO_ROOT, 'lib/http-client/keep-alive-agent'))};
       const agent = createKeepAliveAgent();
       agent.request({ origin: process.env.TARGET_ORIGIN!, path: '/', method: 'GET' })
         .then(async (response) => { console.log(response.statusCode, await response.body.text()); await agent.close(); })
         .catch((error: unknown) => { console.error(error); process.exitCode = 1; });`,
    );
    const outfile = join(work, 'undici', 'index.js');
    await build({ ...esbuildOptions('orders', outfile), entryPoints: [entry], logLevel: 'silent' });
    // Without JEST_WORKER_ID, which makes undici load its fallback parser eagerly: as on Lambda.
    const run = await runNode([outfile], { TARGET_ORIGIN: new URL(url).origin });
    expect([run.code, run.stdout.trim(), run.stderr]).toEqual([0, '200 answered', '']);
  });
});
