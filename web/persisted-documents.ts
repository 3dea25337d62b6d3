/**
 * What the storefront sends and what its persisted-query manifest records must be the same text, byte for byte:
 * the manifest id is the SHA-256 of that text, and a gateway enforcing trusted documents (or Apollo Server's
 * APQ, which re-hashes a registered query) rejects anything else. The manifest generator prints each operation
 * with its top-level definitions sorted (`sortTopLevelDefinitions` of @apollo/persisted-query-lists); the client
 * applies the same order with this transform before printing, and Apollo Client adds `__typename` in both.
 *
 * The sort is restated here rather than imported because that package ships CommonJS only: importing it pulls
 * the whole `graphql` package into the browser bundle (about 40 KB gzipped) where tree-shaking keeps only
 * `print` and `visit`. persisted-documents.test.ts proves both sorts agree on every operation.
 */
import { DocumentTransform } from '@apollo/client';
import type { DefinitionNode, DocumentNode } from 'graphql';

function definitionName(definition: DefinitionNode): string {
  return definition.kind === 'OperationDefinition' || definition.kind === 'FragmentDefinition' ? (definition.name?.value ?? '') : '';
}

/** Kind descending (OperationDefinition before FragmentDefinition), then name ascending; stable otherwise. */
export function sortTopLevelDefinitions(document: DocumentNode): DocumentNode {
  const definitions = [...document.definitions].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind > b.kind ? -1 : 1;
    const aName = definitionName(a);
    const bName = definitionName(b);
    return aName < bName ? -1 : aName > bName ? 1 : 0;
  });
  return { ...document, definitions };
}

export const canonicalDocument = new DocumentTransform(sortTopLevelDefinitions);

/** The operation's id from the manifest, by operation name (each operation name is unique in the manifest). */
export function persistedQueryIds(manifest: { readonly operations: readonly { readonly id: string; readonly name: string }[] }) {
  const ids = new Map(manifest.operations.map((operation) => [operation.name, operation.id]));
  return (document: DocumentNode): string => {
    const operations = document.definitions.filter((definition) => definition.kind === 'OperationDefinition');
    const name = operations.length === 1 ? operations[0]?.name?.value : undefined;
    if (!name) throw new Error('a persisted operation is exactly one named operation');
    const id = ids.get(name);
    if (!id) throw new Error(`operation ${name} is not in the persisted-query manifest: run \`npm run codegen\``);
    return id;
  };
}

/** Where the operations live (one operation per file, fragments in fragments/), relative to the repository. */
export const OPERATION_FILES = 'web/src/graphql/**/*.graphql';
