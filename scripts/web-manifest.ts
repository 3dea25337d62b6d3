/**
 * Writes web/persisted-query-manifest.json, the storefront's operations in Apollo's persisted-query manifest
 * format ({ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id, name, type, body }] }, id =
 * SHA-256 hex of body): the trusted documents a gateway can enforce, and the ids the production storefront
 * sends instead of query text. `--check` fails when the checked-in file is stale (`npm run codegen:check`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { generatePersistedQueryManifest, type PersistedQueryManifest } from '@apollo/generate-persisted-query-manifest';
import { canonicalDocument, OPERATION_FILES } from '../web/persisted-documents';

const root = resolve(__dirname, '..');
export const MANIFEST_PATH = resolve(root, 'web/persisted-query-manifest.json');

export async function buildManifest(): Promise<PersistedQueryManifest> {
  const cwd = process.cwd();
  // The generator resolves globs against the working directory.
  process.chdir(root);
  try {
    return await generatePersistedQueryManifest({ documents: OPERATION_FILES, documentTransform: canonicalDocument }, undefined);
  } finally {
    process.chdir(cwd);
  }
}

export function serializeManifest(manifest: PersistedQueryManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

async function main(): Promise<void> {
  const text = serializeManifest(await buildManifest());
  const target = relative(process.cwd(), MANIFEST_PATH);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(MANIFEST_PATH, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error(`${target} is stale: run \`npm run codegen\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${target} is up to date.`);
    return;
  }
  writeFileSync(MANIFEST_PATH, text);
  console.log(`wrote ${target}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
