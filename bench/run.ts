/**
 * Benchmark runner: `npm run bench -- <name>` runs bench/<name>.ts, `npm run bench` runs every registered one.
 * Each prints its figures and writes them to bench/results/<name>.json with the machine and the date.
 */
import type { Bench } from './support/bench';
import { writeResult } from './support/results';

// The AWS SDK's notice that Node 20 support ends, printed by every process a bench starts on a Node 20 machine,
// would bury the figures; the runtime the project ships on is Node 22 (.nvmrc, Dockerfile, Lambda).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const BENCHES: Readonly<Record<string, () => Promise<{ run: Bench }>>> = {
  abuse: () => import('./abuse'),
  'catalog-acl': () => import('./catalog-acl'),
  checkout: () => import('./checkout'),
  events: () => import('./events'),
  gateway: () => import('./gateway'),
  lambda: () => import('./lambda'),
  stock: () => import('./stock'),
  subscriptions: () => import('./subscriptions'),
  web: () => import('./web'),
};

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = requested.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(', ')}; available: ${Object.keys(BENCHES).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  for (const name of requested.length > 0 ? requested : Object.keys(BENCHES)) {
    console.log(`\n== ${name} ==`);
    const { run } = await BENCHES[name]!();
    const report = await run();
    console.log(report.summary);
    console.log(`\nwritten to ${writeResult(name, report.data)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
