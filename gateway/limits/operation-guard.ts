import { GraphQLError, getOperationAST, parse, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { QueryTooComplexError } from '../../lib/ddd';
import { analyseOperation, type OperationMeasure } from './analyse-operation';
import { queryTooComplex, type QueryLimits } from './query-limits';
import { variablesSize } from './variables-size';

export interface GuardRequest {
  readonly query: string;
  readonly operationName?: string | undefined;
  readonly variables?: Readonly<Record<string, unknown>> | undefined;
}

export type GuardResult =
  /** Within every limit; `operation` is undefined when the document names no runnable operation (validation says why). */
  | { readonly kind: 'accepted'; readonly document: DocumentNode; readonly operation: OperationDefinitionNode | undefined; readonly measure: OperationMeasure }
  | { readonly kind: 'too-complex'; readonly error: QueryTooComplexError }
  /** Not GraphQL: the parser's error, for the transport to report as it reports syntax errors. */
  | { readonly kind: 'syntax-error'; readonly error: GraphQLError };

interface CachedDocument {
  readonly document: DocumentNode;
  /** Measures of operations whose cost does not depend on variables, by operation name ('' for the only one). */
  readonly measures: Map<string, { readonly operation: OperationDefinitionNode; readonly measure: OperationMeasure }>;
}

/** Parsed documents kept, by their text; sized by text length as a stand-in for the AST (about 10x the text). */
const CACHE_BYTES = 32 * 1024 * 1024;
const AST_BYTES_PER_CHARACTER = 10;

/**
 * The gateway's first look at every operation, on every transport (HTTP, multipart subscriptions, graphql-ws), once
 * per request and before validation or planning: the variables are sized, the document is parsed with the token
 * limit (graphql-js stops lexing at `maxTokens`), and analysed in one pass (analyseOperation). Documents that pass
 * are kept parsed, with their measure when it does not depend on variables, so a repeated operation costs a cache
 * lookup. The cache belongs to one schema and is dropped when the supergraph changes.
 */
export class OperationGuard {
  private readonly cache = new LRUCache<string, CachedDocument>({
    maxSize: CACHE_BYTES,
    sizeCalculation: (_value, key) => Math.max(1, key.length * AST_BYTES_PER_CHARACTER),
  });
  private cachedFor: GraphQLSchema | undefined;

  constructor(
    private readonly schema: () => GraphQLSchema,
    readonly limits: QueryLimits,
  ) {}

  check(request: GuardRequest): GuardResult {
    const { limits } = this;
    if (request.query.length > limits.maxQueryLength) return this.tooComplex('length', request.query.length, true);
    const variables = request.variables ?? {};
    let variableCount = 0;
    for (const key in variables) {
      if (Object.hasOwn(variables, key)) variableCount += 1;
      if (variableCount > limits.maxVariables) return this.tooComplex('variables', variableCount, false);
    }
    if (variableCount > 0) {
      const size = variablesSize(variables, limits.maxVariablesBytes);
      if (size > limits.maxVariablesBytes) return this.tooComplex('variablesSize', size, false);
    }

    const schema = this.schema();
    if (schema !== this.cachedFor) {
      this.cache.clear();
      this.cachedFor = schema;
    }
    const operationKey = request.operationName ?? '';
    const cached = this.cache.get(request.query);
    const known = cached?.measures.get(operationKey);
    if (cached && known) return { kind: 'accepted', document: cached.document, operation: known.operation, measure: known.measure };

    let document = cached?.document;
    if (!document) {
      try {
        document = parse(request.query, { maxTokens: limits.maxTokens });
      } catch (error) {
        if (error instanceof GraphQLError && /more th(?:an|at) \d+ tokens/.test(error.message)) return this.tooComplex('tokens', limits.maxTokens + 1, false);
        if (error instanceof GraphQLError) return { kind: 'syntax-error', error };
        throw error;
      }
    }
    const operation = getOperationAST(document, request.operationName) ?? undefined;
    const analysis = analyseOperation(schema, document, operation, variables, limits);
    if (!analysis.ok) return this.tooComplex(analysis.limit, analysis.measured, analysis.exact);
    const entry: CachedDocument = cached ?? { document, measures: new Map() };
    if (!analysis.measure.variableDependent && operation) entry.measures.set(operationKey, { operation, measure: analysis.measure });
    if (!cached) this.cache.set(request.query, entry);
    return { kind: 'accepted', document, operation, measure: analysis.measure };
  }

  private tooComplex(limit: Parameters<typeof queryTooComplex>[0], measured: number, exact: boolean): GuardResult {
    return { kind: 'too-complex', error: queryTooComplex(limit, this.limits, measured, exact) };
  }
}
