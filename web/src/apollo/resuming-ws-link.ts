import type { ApolloLink } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { Kind, type DocumentNode } from 'graphql';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';

/** The variable a resumable subscription declares (orderStatusChanged's afterVersion). */
const AFTER_VERSION = 'afterVersion';

function declaresAfterVersion(query: DocumentNode): boolean {
  return query.definitions.some(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && (definition.variableDefinitions ?? []).some((variable) => variable.variable.name.value === AFTER_VERSION),
  );
}

/** The `version` of the update in a result (its one root field), if it has one. */
function versionIn(data: unknown): number | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  for (const field of Object.values(data)) {
    const version = (field as { version?: unknown } | null)?.version;
    if (typeof version === 'number') return version;
  }
  return undefined;
}

/**
 * GraphQLWsLink for subscriptions that can resume: those declaring `$afterVersion`. When the socket comes back,
 * graphql-ws subscribes again with the payload it was first given; this link gives each such subscription a
 * variables object of its own and writes the version of every update received into it, so the repeated subscribe
 * asks for what came after the last update this client saw, and the server sends the current state first when
 * the order moved on meanwhile (schema: orderStatusChanged(afterVersion)).
 */
export class ResumingWsLink extends GraphQLWsLink {
  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    if (!declaresAfterVersion(operation.query)) return super.request(operation);
    const variables: Record<string, unknown> = { ...operation.variables };
    // Everything else (context, extensions, the client) stays the operation's own.
    const resumable = Object.create(operation, { variables: { value: variables, enumerable: true } }) as ApolloLink.Operation;
    return super.request(resumable).pipe(
      tap((result) => {
        const version = versionIn(result.data);
        if (version !== undefined) variables[AFTER_VERSION] = version;
      }),
    );
  }
}
