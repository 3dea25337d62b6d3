import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where Hive Gateway is installed for the benchmark: a package of its own, apart from the project's. */
export const HIVE_GATEWAY_DIR = resolve(__dirname, '../../hive-gateway');
export const HIVE_GATEWAY_BIN = join(HIVE_GATEWAY_DIR, 'node_modules/@graphql-hive/gateway/dist/bin.js');
export const HIVE_GATEWAY_CONFIG = join(HIVE_GATEWAY_DIR, 'gateway.config.ts');

type Packages = Record<string, { version?: string }>;

/** The packages of a lockfile (npm's, or the copy npm keeps in node_modules of what it installed), by path. */
function lockedPackages(file: string): Packages | undefined {
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { packages?: Packages }).packages;
}

/** Whether node_modules holds exactly the versions package-lock.json names (npm writes node_modules/.package-lock.json). */
export function hiveGatewayInstalled(dir = HIVE_GATEWAY_DIR): boolean {
  const wanted = lockedPackages(join(dir, 'package-lock.json'));
  const installed = lockedPackages(join(dir, 'node_modules/.package-lock.json'));
  if (!wanted || !installed) return false;
  return Object.entries(wanted).every(([path, entry]) => path === '' || installed[path]?.version === entry.version);
}

/**
 * Installs Hive Gateway from its lockfile when it is missing or not the locked versions (the first gateway benchmark
 * after a clone, or after the lockfile changed): a minute or two, before anything is measured.
 */
export function ensureHiveGateway(): void {
  if (hiveGatewayInstalled()) return;
  console.log(`Installing Hive Gateway for the benchmark (npm ci in ${HIVE_GATEWAY_DIR})...`);
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: HIVE_GATEWAY_DIR, stdio: 'inherit' });
  if (result.status !== 0 || !hiveGatewayInstalled()) {
    throw new Error(`npm ci in ${HIVE_GATEWAY_DIR} failed (exit ${String(result.status)}): the Hive Gateway rows cannot run`);
  }
}
