import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [outfile], { env: { PATH: process.env['PATH'] ?? '', TARGET_ORIGIN: new URL(url).origin }, timeout: 30_000 }, (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect([run.code, run.stdout.trim(), run.stderr]).toEqual([0, '200 answered', '']);
  });
});
