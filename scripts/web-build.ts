/**
 * Builds the storefront (web/dist) and GraphiQL (web/dist-graphiql) with Vite when they are missing or stale:
 * `npm start` calls it before starting the gateway, so a fresh clone needs no extra command and a warm one
 * (nothing changed) starts without building. Staleness is a SHA-256 over each build's inputs (its sources,
 * config and package-lock.json), stored in the build as .build-stamp.
 *   npm run web:build [-- --force]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..');

export interface WebTarget {
  readonly name: string;
  readonly config: string;
  readonly outDir: string;
  /** Files and directories whose content decides the build. */
  readonly inputs: readonly string[];
}

export const WEB_TARGETS: readonly WebTarget[] = [
  {
    name: 'the storefront',
    config: 'web/vite.config.mts',
    outDir: 'web/dist',
    inputs: ['web/src', 'web/index.html', 'web/vite.config.mts', 'web/persisted-documents.ts', 'web/persisted-query-manifest.json', 'package-lock.json'],
  },
  {
    name: 'GraphiQL',
    config: 'web/graphiql/vite.config.mts',
    outDir: 'web/dist-graphiql',
    inputs: ['web/graphiql', 'package-lock.json'],
  },
];

const STAMP = '.build-stamp';

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => (entry.endsWith('.test.ts') || entry.endsWith('.test.tsx') ? [] : filesUnder(join(path, entry))));
}

export function sourceFingerprint(target: WebTarget): string {
  const hash = createHash('sha256');
  for (const input of target.inputs) {
    for (const file of filesUnder(resolve(root, input))) {
      hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

export function isFresh(target: WebTarget, fingerprint = sourceFingerprint(target)): boolean {
  const stamp = resolve(root, target.outDir, STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === fingerprint;
}

function runVite(target: WebTarget, outDir: string): Promise<void> {
  const vite = resolve(root, 'node_modules/vite/bin/vite.js');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', resolve(root, target.config), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: root,
      // A production bundle whatever NODE_ENV the caller runs with (tests run with NODE_ENV=test).
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`building ${target.name} failed (vite exited with ${code}):\n${stderr.slice(-4000)}`));
    });
  });
}

/**
 * Builds into a temporary directory and swaps it in, so a running gateway never serves half a build and two
 * processes building at once (test workers) leave one complete build.
 */
export async function buildTarget(target: WebTarget): Promise<void> {
  const fingerprint = sourceFingerprint(target);
  const outDir = resolve(root, target.outDir);
  const temporary = `${outDir}.tmp-${process.pid}`;
  const previous = `${outDir}.old-${process.pid}`;
  try {
    await runVite(target, temporary);
    writeFileSync(join(temporary, STAMP), `${fingerprint}\n`);
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(temporary, outDir);
  } catch (error) {
    // Another process swapped in the same build meanwhile: that one serves.
    if (!isFresh(target, fingerprint)) throw error;
  } finally {
    rmSync(temporary, { recursive: true, force: true });
    rmSync(previous, { recursive: true, force: true });
  }
}

/** Builds what is missing or stale; returns the names of the builds it made. */
export async function ensureWebBuild(options: { force?: boolean; log?: (message: string) => void } = {}): Promise<string[]> {
  const built: string[] = [];
  for (const target of WEB_TARGETS) {
    if (!options.force && isFresh(target)) continue;
    const started = Date.now();
    options.log?.(`building ${target.name} (${target.outDir})...`);
    await buildTarget(target);
    options.log?.(`built ${target.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    built.push(target.name);
  }
  return built;
}

if (require.main === module) {
  ensureWebBuild({ force: process.argv.includes('--force'), log: (message) => console.log(message) })
    .then((built) => {
      if (built.length === 0) console.log('web builds are up to date (use --force to rebuild)');
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
