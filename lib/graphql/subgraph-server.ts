import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express, { type Express, type Request } from 'express';
import { parse } from 'graphql';
import type { Caller } from '../auth';
import { verifyIdentity } from '../auth';
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
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ...((options.plugins ?? []) as ApolloServerPlugin<TContext>[])],
  });
}

/**
 * The caller a subgraph believes: only a valid gateway signature counts. Forged or stale identity headers
 * are logged and treated as anonymous (DESIGN.md 3).
 */
export function callerFromRequest(req: Request, signingSecret: string, logger: Logger): Caller {
  const verification = verifyIdentity(req.headers, signingSecret);
  if (verification.status === 'verified') return verification.identity;
  if (verification.status === 'rejected') {
    logger.warn({ reason: verification.reason }, 'ignoring identity headers that are not validly signed; treating the request as anonymous');
  }
  return null;
}

/** Mounts a started ApolloServer on `/graphql` of a service app. */
export function mountGraphQL<TContext extends BaseSubgraphContext>(
  app: Express,
  server: ApolloServer<TContext>,
  context: (req: Request) => Promise<TContext>,
): void {
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(server, { context: ({ req }) => context(req) }));
}
