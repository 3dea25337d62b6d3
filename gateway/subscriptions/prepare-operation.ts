import { GraphQLError, getVariableValues, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ErrorCode, type AppError } from '../../lib/ddd';
import type { Caller, Edge, EdgeRequest } from '../edge/admission';
import { unresolvedOperation } from '../operation-resolution';

/** An operation the edge admitted (gateway/edge): parsed once and measured, not yet validated. */
export interface AdmittedOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode | undefined;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown> | undefined;
}

export interface PreparedOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly variables: Record<string, unknown> | undefined;
  readonly operationName: string | undefined;
}

export interface PrepareOptions {
  /** Production: no "Did you mean ...?" suggestions, which would reveal the schema (Apollo's hideSchemaDetailsFromClientErrors). */
  readonly hideSchemaDetails: boolean;
}

const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * Validates an admitted operation arriving outside Apollo Server's HTTP pipeline (WebSocket, multipart
 * subscriptions), with Apollo Server's rules and codes: a document that does not validate is
 * GRAPHQL_VALIDATION_FAILED, one that names no operation to run OPERATION_RESOLUTION_FAILURE (graphql-js's messages),
 * and variables that do not fit it BAD_USER_INPUT. The edge has already bounded the document (limits run before
 * validation: some validation rules are superlinear).
 */
export function prepareOperation(schema: GraphQLSchema, admitted: AdmittedOperation, options: PrepareOptions): PreparedOperation | GraphQLError[] {
  const coded = (code: ErrorCode) => (error: GraphQLError) =>
    new GraphQLError(options.hideSchemaDetails ? error.message.replace(SUGGESTION, '') : error.message, { nodes: error.nodes, extensions: { code } });
  const errors = validate(schema, admitted.document);
  if (errors.length > 0) return errors.map(coded(ErrorCode.GRAPHQL_VALIDATION_FAILED));
  const { operation, operationName } = admitted;
  if (!operation) {
    const { message, extensions } = unresolvedOperation(admitted.document, operationName);
    return [new GraphQLError(message, { extensions: { code: extensions['code'] } })];
  }
  // Coerced here rather than left to execution: there a missing or mistyped variable is an execution error with
  // no contract code, which the error mapping would mask as INTERNAL_SERVER_ERROR; it is the client's mistake.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], admitted.variables ?? {}, { maxErrors: 20 });
  if (coerced.errors) return coerced.errors.map(coded(ErrorCode.BAD_USER_INPUT));
  return { document: admitted.document, operation, variables: admitted.variables, operationName };
}

/** A refusal from the edge as the GraphQL error the socket protocols carry (same code and details as over HTTP). */
export function edgeRefusal(error: AppError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.code, ...(error.details ? { details: error.details } : {}) } });
}

/**
 * Admits (edge: identity, rate limit, trusted documents, query limits) then validates an operation that arrived
 * outside Apollo Server: one pass of each per operation.
 */
export async function admitAndPrepare(
  edge: Edge,
  schema: () => GraphQLSchema,
  request: EdgeRequest,
  caller: Caller,
  options: PrepareOptions,
): Promise<PreparedOperation | GraphQLError[]> {
  const admission = await edge.admit(request, { caller });
  if (!admission.ok) {
    if (admission.error) return [edgeRefusal(admission.error)];
    // Apollo Server's answers to a document that does not parse, and to a request without one.
    if (admission.syntaxError) return [new GraphQLError(admission.syntaxError.message, { extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED } })];
    return [new GraphQLError('GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.', { extensions: { code: ErrorCode.BAD_REQUEST } })];
  }
  return prepareOperation(schema(), admission, options);
}
