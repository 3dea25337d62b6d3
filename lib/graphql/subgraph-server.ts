import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import type { Caller } from '../auth';
import { verifyRequest, type SignedRequestTarget } from '../auth';
import type { Logger } from '../logging';
import { apolloLogger } from './apollo-logger';
import { createErrorFormatter } from './errors';

/** What every subgraph resolver can rely on; contexts extend it with their own loaders and use cases. */
export interface BaseSubgraphContext extends BaseContext {
  readonly caller: Caller;
  readonly correlationId: string;
  readonly logger: Logger;
}

export interface SubgraphServerOptions {
  readonly typeDefs: string;
  readonly resolvers: GraphQLResolverMap<never>;
  readonly logger: Logger;
  readonly plugins?: ApolloServerPlugin<never>[];
}

/**
 * Builds a federated subgraph server with the shared error mapping. Subgraphs are reached through the gateway,
 * so no landing page; no inline traces either (they only feed Apollo Studio usage reporting, which is not used).
 */
export function createSubgraphServer<TContext extends BaseSubgraphContext>(options: SubgraphServerOptions): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema: buildSubgraphSchema({ typeDefs: parse(options.typeDefs), resolvers: options.resolvers as GraphQLResolverMap<unknown> }),
    logger: apolloLogger(options.logger),
    formatError: createErrorFormatter(options.logger),
    includeStacktraceInErrorResponses: false,
    // The composition root owns shutdown order; Apollo must not stop itself and re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ...((options.plugins ?? []) as ApolloServerPlugin<TContext>[])],
  });
}

/** The key and the clock window subgraphs verify identity with (GATEWAY_SIGNING_SECRET, SIGNED_REQUEST_WINDOW_SECONDS). */
export interface RequestSigning {
  readonly secret: string;
  readonly windowSeconds: number;
}

/**
 * The caller a subgraph believes: only a valid gateway signature over this very request (method, target, body
 * bytes as received) counts. Forged, stale or replayed-elsewhere identity headers are logged and treated as
 * anonymous (DESIGN.md 3).
 */
export function callerFromSignedRequest(
  headers: Parameters<typeof verifyRequest>[0],
  target: SignedRequestTarget,
  signing: RequestSigning,
  logger: Logger,
): Caller {
  const verification = verifyRequest(headers, target, signing.secret, { windowSeconds: signing.windowSeconds });
  if (verification.status === 'verified') return verification.identity;
  if (verification.status === 'rejected') {
    logger.warn(
      { reason: verification.reason, method: target.method, path: target.path },
      'ignoring identity headers that are not validly signed for this request; treating it as anonymous',
    );
  }
  return null;
}
