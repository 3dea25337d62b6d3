/**
 * How every Lambda function is bundled: the one definition used by the NodejsFunctions (infra/) and by
 * `npm run bench -- lambda`, so the benchmark measures exactly what is deployed.
 */
import { resolve } from 'node:path';
import { LogLevel, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** The repository root: entries, package-lock.json and tsconfig.json are resolved from it. */
export const REPO_ROOT = resolve(__dirname, '../..');

/** The Lambda entry files; the handlers of one file share its bundle (esbuild bundles the whole module). */
export const LAMBDA_ENTRY_FILES = {
  catalog: 'subgraphs/catalog/lambda.ts',
  orders: 'subgraphs/orders/lambda.ts',
  rewards: 'subgraphs/rewards/lambda.ts',
  payments: 'subgraphs/payments/lambda.ts',
  shipping: 'subgraphs/shipping/lambda.ts',
  fanout: 'gateway/fanout-lambda.ts',
  notifications: 'subgraphs/notifications/lambda.ts',
} as const;

export type LambdaEntryName = keyof typeof LAMBDA_ENTRY_FILES;

/**
 * The esbuild settings, in the CLI's terms (NodejsFunction runs the esbuild CLI):
 * - minified CommonJS for node22 (the `nodejs22.x` runtime);
 * - `@aws-sdk/*` and `@smithy/*` left out: the nodejs22.x runtime ships AWS SDK v3 with the Smithy packages it
 *   is built on (resolvable through NODE_PATH=/var/runtime/node_modules), and bundling the clients and the SigV4
 *   signer adds about 0.75 MB to a bundle against the 1.5 MB budget. The price is that their versions are the
 *   runtime's; the APIs used (clients, SignatureV4, HttpRequest, the default credential chain) are stable;
 * - undici's fallback HTTP parser (`llhttp-wasm.js`, 72 KB) left out: undici loads it only where WebAssembly SIMD
 *   is missing (old Node on ppc64) or when UNDICI_NO_WASM_SIMD=1, and the functions run Node 22 on arm64, where it
 *   loads the SIMD build. Orders' Catalog ACL is the one undici user; were it ever reached, its requests would fail
 *   with "Cannot find module '../llhttp/llhttp-wasm.js'" (never set UNDICI_NO_WASM_SIMD on a function);
 * - `import()` compiled to `require()`: a module loaded on demand (an SDK client only some functions use) is then
 *   resolved like the static externals, through NODE_PATH, which Node's ESM resolution ignores;
 * - an external source map without sources content, beside the bundle: stack traces in CloudWatch point at the
 *   TypeScript lines without shipping the sources themselves. They are mapped on demand
 *   (lib/runtime/lambda-stack-traces.ts), not with NODE_OPTIONS=--enable-source-maps: that flag reads and parses the
 *   whole map (about 2 MB) as the bundle loads, 5-25 ms of CPU at every cold start on the benchmark's machine
 *   (`npm run bench -- lambda`, docs/benchmarks.md). The trade-off: the first stack formatted in a container (an
 *   error logged or reported) pays that read and parse instead, once; function names in mapped frames stay the
 *   minified ones, as they mostly were with the flag.
 */
export const LAMBDA_BUNDLE = {
  /**
   * - `@apollo/server` resolves to its CommonJS build for every importer: our ES imports would otherwise take the
   *   ESM build while @as-integrations/aws-lambda `require`s the CommonJS one, bundling Apollo Server twice;
   * - Apollo's usage-reporting protobuf, used only by plugins every function runs disabled, is a stub.
   */
  alias: {
    '@apollo/server': resolve(REPO_ROOT, 'node_modules/@apollo/server/dist/cjs'),
    '@apollo/usage-reporting-protobuf': resolve(REPO_ROOT, 'infra/lib/bundle-stubs/usage-reporting-protobuf.js'),
  },
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: ['@aws-sdk/*', '@smithy/*', '../llhttp/llhttp-wasm.js'],
  supported: { 'dynamic-import': false },
} as const;

/** The same settings as NodejsFunction bundling options; always local esbuild (no Docker: synth stays offline). */
export function nodejsBundling(): BundlingOptions {
  return {
    target: LAMBDA_BUNDLE.target,
    format: OutputFormat.CJS,
    minify: LAMBDA_BUNDLE.minify,
    sourceMap: LAMBDA_BUNDLE.sourcemap,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    externalModules: [...LAMBDA_BUNDLE.external],
    // esbuild's warnings and errors, not its per-file size summary (the CDK leaves the CLI at its `info` default
    // unless told): sizes and their budget are `npm run bench -- lambda`'s, and a synth prints one line per function.
    logLevel: LogLevel.WARNING,
    esbuildArgs: {
      ...Object.fromEntries(Object.entries(LAMBDA_BUNDLE.alias).map(([name, target]) => [`--alias:${name}`, target])),
      ...Object.fromEntries(Object.entries(LAMBDA_BUNDLE.supported).map(([feature, on]) => [`--supported:${feature}`, String(on)])),
    },
    forceDockerBundling: false,
  };
}

/** Options for esbuild's JavaScript API with the same meaning (the benchmark builds through it). */
export function esbuildOptions(entry: LambdaEntryName, outfile: string): BuildOptions & { metafile: true } {
  return {
    entryPoints: [resolve(REPO_ROOT, LAMBDA_ENTRY_FILES[entry])],
    outfile,
    bundle: true,
    platform: LAMBDA_BUNDLE.platform,
    target: LAMBDA_BUNDLE.target,
    format: LAMBDA_BUNDLE.format,
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourcemap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    external: [...LAMBDA_BUNDLE.external],
    alias: { ...LAMBDA_BUNDLE.alias },
    supported: { ...LAMBDA_BUNDLE.supported },
    metafile: true,
    logLevel: 'warning',
  };
}
