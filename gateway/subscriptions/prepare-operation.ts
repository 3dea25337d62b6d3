import {
  GraphQLError,
  Kind,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../../lib/ddd';
import { measureOperation, type QueryLimits } from '../query-limits';

export interface OperationPayload {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

export interface PreparedOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly variables: Record<string, unknown> | undefined;
  readonly operationName: string | undefined;
}

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });

/**
 * Parses, validates and measures an operation that arrives outside Apollo Server's HTTP pipeline (WebSocket,
 * multipart subscriptions), applying the same rules: a malformed or invalid document, or variables that do not
 * fit it, are BAD_USER_INPUT, and one over the depth or cost limit is QUERY_TOO_COMPLEX.
 */
export function prepareOperation(schema: GraphQLSchema, payload: OperationPayload, limits: QueryLimits): PreparedOperation | GraphQLError[] {
  if (typeof payload.query !== 'string' || payload.query.trim() === '') return [badInput('query must be a non-empty string')];
  if (payload.variables != null && (typeof payload.variables !== 'object' || Array.isArray(payload.variables))) {
    return [badInput('variables must be an object')];
  }
  if (payload.operationName != null && typeof payload.operationName !== 'string') return [badInput('operationName must be a string')];
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: 10_000 });
  } catch (error) {
    return [badInput((error as Error).message)];
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT } }));
  const operationName = (payload.operationName as string | null | undefined) ?? undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) return [badInput(operationName ? `no operation named ${operationName}` : 'the document must name which operation to run')];
  const variables = (payload.variables as Record<string, unknown> | null | undefined) ?? undefined;
  // Coerced here rather than left to execution: there a missing or mistyped variable is an execution error with
  // no contract code, which the error mapping would mask as INTERNAL_SERVER_ERROR; it is the client's mistake.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 20 });
  if (coerced.errors) {
    return coerced.errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT } }));
  }
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const { depth, cost } = measureOperation(schema, operation, fragments, variables ?? {});
  // The same answers as queryLimitsPlugin gives over HTTP, so a client sees one behaviour on every transport.
  if (depth > limits.maxDepth) {
    return [
      new GraphQLError(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, {
        extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, depth, maxDepth: limits.maxDepth },
      }),
    ];
  }
  if (cost > limits.maxCost) {
    return [
      new GraphQLError(`query cost ${cost} exceeds the limit of ${limits.maxCost}; ask for smaller pages (first)`, {
        extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, cost, maxCost: limits.maxCost },
      }),
    ];
  }
  return { document, operation, variables, operationName };
}
