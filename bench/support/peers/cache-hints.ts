import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type ObjectTypeDefinitionNode } from 'graphql';

/** What Hive Gateway's `responseCaching` is told: a TTL in ms per type or `Type.field`, and PRIVATE coordinates. */
export interface HiveCacheRules {
  /** Nothing is cached unless a hint says so: the project's gateway caches only what its subgraphs allow. */
  readonly ttl: 0;
  readonly ttlPerSchemaCoordinate: Readonly<Record<string, number>>;
  readonly scopePerSchemaCoordinate: Readonly<Record<string, 'PRIVATE'>>;
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * The cache hints the project's gateway reads, restated for Hive Gateway's response cache, so both caches store the
 * same responses for as long: Catalog's `@cacheControl` hints (the `Cache-Control` Apollo Server derives from them
 * and the project's gateway caches by) give the TTL of a type or field and its PRIVATE fields; every other object
 * type of the supergraph, and every root field without a hint, gets 0, because its subgraph answers `no-store` (Apollo
 * Server's default maxAge is 0) and the project's gateway never caches a response that holds it. Types that only
 * inherit their parent's maxAge are left out: they neither lengthen nor shorten the TTL.
 *
 * Hive's cache takes the smallest TTL of the types and fields in a response (@envelop/response-cache), so
 * `me { orders { items { product } } }` (Customer, Order: 0) is never stored, as with the project's gateway, while
 * `product(id:)` and `products` are stored for Catalog's 60 s.
 */
export function hiveCacheRules(catalogSdl: string, supergraphSdl: string): HiveCacheRules {
  const ttl: Record<string, number> = {};
  const scope: Record<string, 'PRIVATE'> = {};
  const catalogTypes = new Set<string>();
  for (const type of objectTypes(parse(catalogSdl))) {
    catalogTypes.add(type.name.value);
    const typeHint = cacheControl(type.directives);
    if (!ROOT_TYPES.has(type.name.value)) {
      if (typeHint.maxAge !== undefined) ttl[type.name.value] = typeHint.maxAge * 1000;
      else if (!typeHint.inheritMaxAge) ttl[type.name.value] = 0;
      if (typeHint.private) scope[type.name.value] = 'PRIVATE';
    }
    for (const field of type.fields ?? []) {
      const coordinate = `${type.name.value}.${field.name.value}`;
      const hint = cacheControl(field.directives);
      if (hint.maxAge !== undefined) ttl[coordinate] = hint.maxAge * 1000;
      else if (type.name.value === 'Query') ttl[coordinate] = 0;
      if (hint.private) scope[coordinate] = 'PRIVATE';
    }
  }
  for (const type of objectTypes(parse(supergraphSdl))) {
    const name = type.name.value;
    if (name === 'Query') {
      for (const field of type.fields ?? []) if (!(`Query.${field.name.value}` in ttl)) ttl[`Query.${field.name.value}`] = 0;
    } else if (!ROOT_TYPES.has(name) && !catalogTypes.has(name)) {
      ttl[name] = 0;
    }
  }
  return { ttl: 0, ttlPerSchemaCoordinate: ttl, scopePerSchemaCoordinate: scope };
}

/** The rules for this repository's schema: `schemaDir` holds catalog.graphql and supergraph.graphql. */
export function projectHiveCacheRules(schemaDir: string): HiveCacheRules {
  const read = (name: string) => readFileSync(resolve(schemaDir, name), 'utf8');
  return hiveCacheRules(read('catalog.graphql'), read('supergraph.graphql'));
}

function objectTypes(document: DocumentNode): ObjectTypeDefinitionNode[] {
  return document.definitions.filter((definition): definition is ObjectTypeDefinitionNode => definition.kind === Kind.OBJECT_TYPE_DEFINITION);
}

function cacheControl(directives: readonly ConstDirectiveNode[] | undefined): { maxAge?: number; inheritMaxAge: boolean; private: boolean } {
  const hint: { maxAge?: number; inheritMaxAge: boolean; private: boolean } = { inheritMaxAge: false, private: false };
  for (const directive of directives ?? []) {
    if (directive.name.value !== 'cacheControl') continue;
    for (const argument of directive.arguments ?? []) {
      const { value } = argument;
      if (argument.name.value === 'maxAge' && value.kind === Kind.INT) hint.maxAge = Number(value.value);
      if (argument.name.value === 'inheritMaxAge' && value.kind === Kind.BOOLEAN) hint.inheritMaxAge = value.value;
      if (argument.name.value === 'scope' && value.kind === Kind.ENUM) hint.private = value.value === 'PRIVATE';
    }
  }
  return hint;
}
