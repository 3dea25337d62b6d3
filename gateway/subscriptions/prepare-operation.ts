import {
  GraphQLError,
  Kind,
  getOperationAST,
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
 * multipart subscriptions), applying the same rules: a malformed or invalid document is BAD_USER_INPUT, and one
 * over the depth or cost limit is QUERY_TOO_COMPLEX.
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
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const { depth, cost } = measureOperation(schema, operation, fragments, variables ?? {});
  if (depth > limits.maxDepth || cost > limits.maxCost) {
    return [
      new GraphQLError(`query depth ${depth} / cost ${cost} exceeds the limits (depth ${limits.maxDepth}, cost ${limits.maxCost})`, {
        extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, depth, cost },
      }),
    ];
  }
  return { document, operation, variables, operationName };
}
