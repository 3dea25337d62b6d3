/**
 * Composes schema/supergraph.graphql from the subgraph SDL files with @apollo/composition (offline: no
 * network, no Rover). `--check` fails when composition has errors or the checked-in file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export const SUBGRAPHS = [
  { name: 'catalog', url: 'http://localhost:4001/graphql' },
  { name: 'orders', url: 'http://localhost:4002/graphql' },
  { name: 'rewards', url: 'http://localhost:4003/graphql' },
  { name: 'payments', url: 'http://localhost:4004/graphql' },
  { name: 'shipping', url: 'http://localhost:4005/graphql' },
] as const;

const root = resolve(__dirname, '..');
const target = resolve(root, 'schema/supergraph.graphql');

export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map((subgraph) => ({
      name: subgraph.name,
      url: subgraph.url,
      typeDefs: parse(readFileSync(resolve(root, `schema/${subgraph.name}.graphql`), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}

function main(): void {
  const check = process.argv.includes('--check');
  let composed: string;
  try {
    composed = composeSupergraph();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  if (check) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== composed) {
      console.error('schema/supergraph.graphql is stale: run `npm run compose` and commit the result.');
      process.exit(1);
    }
    console.log('schema/supergraph.graphql is up to date.');
    return;
  }
  writeFileSync(target, composed);
  console.log(`wrote ${target}`);
}

if (require.main === module) main();
