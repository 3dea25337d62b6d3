import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { ErrorCode } from '../lib/ddd';
import { httpStatusOf } from '../lib/http/status';

/**
 * A document that names no operation to run (two or more without `operationName`, an `operationName` that names
 * none of them): Apollo Server's OPERATION_RESOLUTION_FAILURE (HTTP 400) with graphql-js's message (execute's
 * buildExecutionContext), the same on every transport.
 */
export function unresolvedOperation(document: DocumentNode, operationName: string | null | undefined): GraphQLError {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
  const message =
    operationName != null ? `Unknown operation named "${operationName}".` : operations > 1 ? 'Must provide operation name if query contains multiple operations.' : 'Must provide an operation.';
  return new GraphQLError(message, { extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: httpStatusOf.OPERATION_RESOLUTION_FAILURE } } });
}

/**
 * Apollo Server reports a document without a runnable operation itself only when it executes with graphql-js; the
 * gateway's executor throws instead (a 500 with a TypeError-like internal error). This answers it as Apollo Server
 * defines it, once the document is known valid and before any plugin or executor needs an operation.
 */
export const operationResolutionPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, document, request }) {
        if (!operation) throw unresolvedOperation(document, request.operationName);
      },
    };
  },
};
