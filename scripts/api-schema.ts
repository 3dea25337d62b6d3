/**
 * The API schema of the supergraph: what clients see (no federation join directives or internal types), printed
 * as SDL. Client tooling (the storefront's typed operations, its persisted-query manifest) checks operations
 * against it, exactly as the gateway validates them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { printSchema } from 'graphql';

export const SUPERGRAPH_FILE = resolve(__dirname, '../schema/supergraph.graphql');

export function apiSchemaSdl(supergraphSdl: string = readFileSync(SUPERGRAPH_FILE, 'utf8')): string {
  return printSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema());
}
