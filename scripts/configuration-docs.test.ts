import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { env, externalSetting, readerFallback, setting, documentedAccepts, documentedDefault } from '../lib/config';
import { allSettings, CONFIGURATION_PAGE, renderConfigurationPage, SETTING_SOURCES } from './configuration-docs';

const root = resolve(__dirname, '..');

/** The code that runs in a service, a script or a client: everything but tests, their helpers and benchmarks (bench/README.md lists BENCH_*). */
function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (['node_modules', '__generated__', 'cdk.out', 'test-support', 'testing'].includes(entry.name) || entry.name.startsWith('dist')) continue;
      files.push(...sourceFiles(path));
    } else if (/\.(ts|tsx|mts)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files;
}

const CODE = ['lib', 'gateway', 'subgraphs', 'scripts', 'dev', 'examples', 'web', 'infra/lib', 'infra/bin'].flatMap((directory) => sourceFiles(join(root, directory)));

/** `process.env.NAME`, `process.env['NAME']` and `env['NAME']` (a source passed down from a composition root). */
const READS = [/process\.env\.([A-Z][A-Z0-9_]*)/g, /\b(?:process\.env|env|source|environment)\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\]/g];

/** Set by the platform the code runs on, never by someone configuring it. */
const SET_BY_THE_PLATFORM = new Set(['AWS_LAMBDA_FUNCTION_NAME']);

/**
 * Composition roots: entry points that read the environment once and hand what they read down (docs/architecture.md
 * §7). loadConfig takes `process.env` as its default source; the telemetry preload and a Lambda container start
 * before anything else exists.
 */
const COMPOSITION_ROOTS = [/^scripts\/[^/]+\.ts$/, /^examples\/[^/]+\.ts$/, /^dev\/stripe-emulator\/main\.ts$/, /^lib\/config\/app-config\.ts$/, /^lib\/telemetry\/register\.ts$/, /^lib\/runtime\/lambda-container\.ts$/];

describe('the configuration reference (docs/configuration.md)', () => {
  const settings = allSettings();

  it('documents every variable the code reads', () => {
    const undocumented = new Map<string, string[]>();
    for (const file of CODE) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of READS) {
        for (const [, name] of text.matchAll(pattern)) {
          if (settings.has(name!) || SET_BY_THE_PLATFORM.has(name!)) continue;
          undocumented.set(name!, [...(undocumented.get(name!) ?? []), relative(root, file)]);
        }
      }
    }
    expect(Object.fromEntries(undocumented)).toEqual({});
  });

  it('finds the reads it looks for, so an empty result above means something', () => {
    const found = new Set(CODE.flatMap((file) => READS.flatMap((pattern) => [...readFileSync(file, 'utf8').matchAll(pattern)].map((match) => match[1]))));
    expect([...found].filter((name) => ['OTEL_TRACES_EXPORTER', 'DATA_DIR', 'LOG_LEVEL', 'AWS_LAMBDA_FUNCTION_NAME'].includes(name!)).sort()).toEqual([
      'AWS_LAMBDA_FUNCTION_NAME',
      'DATA_DIR',
      'LOG_LEVEL',
      'OTEL_TRACES_EXPORTER',
    ]);
  });

  it('reads process.env only in composition roots', () => {
    const outside = CODE.map((file) => relative(root, file)).filter(
      (file) => !COMPOSITION_ROOTS.some((pattern) => pattern.test(file)) && /process\.env\b/.test(readFileSync(join(root, file), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')),
    );
    expect(outside).toEqual([]);
  });

  it('gives every setting what it does, what it accepts and its default, one way or the other', () => {
    const incomplete: string[] = [];
    for (const [name, declared] of settings) {
      if (declared.description.trim() === '') incomplete.push(`${name}: no description`);
      if (!documentedAccepts(declared)) incomplete.push(`${name}: says nothing of what it accepts`);
      const fallback = readerFallback(declared);
      if (fallback === undefined && declared.default === undefined) incomplete.push(`${name}: no default (its reader has none: say what applies when it is unset)`);
      if (fallback !== undefined && declared.default !== undefined) incomplete.push(`${name}: a default in words beside its reader's ${JSON.stringify(fallback)}: keep one`);
    }
    expect(incomplete).toEqual([]);
  });

  it('shows a reader’s fallback as the default, and a derived one in words', () => {
    expect(documentedDefault(setting(env.port(4000), { group: 'ports', description: 'x' }))).toBe('`4000`');
    expect(documentedDefault(setting(env.boolean(false), { group: 'caches', description: 'x' }))).toBe('`off`');
    expect(documentedDefault(setting(env.text(), { group: 'data', description: 'x', default: '`<TABLE_PREFIX>catalog`' }))).toBe('`<TABLE_PREFIX>catalog`');
    expect(documentedDefault(externalSetting({ group: 'observability', description: 'x', readBy: 'y', default: 'none' }))).toBe('none');
    expect(documentedAccepts(setting(env.oneOf(['memory', 'redis']), { group: 'events', description: 'x', default: 'y' }))).toBe('`memory`, `redis`');
  });

  it('refuses two declarations of one variable', () => {
    const one = { DUPLICATE: setting(env.text(), { group: 'data', description: 'first', default: 'none' }) };
    const other = { DUPLICATE: setting(env.text(), { group: 'data', description: 'second', default: 'none' }) };
    expect(() => allSettings([{ file: 'a.ts', settings: one }, { file: 'b.ts', settings: other }])).toThrow('DUPLICATE is declared twice (once in b.ts)');
    expect(allSettings([{ file: 'a.ts', settings: one }, { file: 'b.ts', settings: one }]).size).toBe(1);
  });

  it('lists every section a setting names, with its variables in their declared order', () => {
    const page = renderConfigurationPage();
    expect(page).toContain('| `GATEWAY_PORT` | `4000` | a port (0: any free port) | The gateway: GraphQL, subscriptions, the storefront, GraphiQL. |');
    expect(page).toContain('| `CATALOG_URL` | `http://127.0.0.1:<CATALOG_PORT>/graphql` | a URL (http or https) |');
    expect(page.indexOf('`GATEWAY_PORT`')).toBeLessThan(page.indexOf('`CATALOG_PORT`'));
    expect(page.match(/^\| `[A-Z0-9_]+` \|/gm)).toHaveLength(settings.size);
    expect(SETTING_SOURCES.map((source) => source.file)).toContain('lib/config/app-config.ts');
  });

  it('is checked in as generated (npm run docs)', () => {
    expect(readFileSync(CONFIGURATION_PAGE, 'utf8')).toBe(renderConfigurationPage());
  });
});
