import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
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
    // The composition root owns shutdown order; Apollo must not stop itself and re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      cacheTagsHeader,
      ...((options.plugins ?? []) as ApolloServerPlugin<TContext>[]),
    ],
  });
}

/**
 * A context that collects the tags of what it served (Catalog: `product:<id>`, `products`) sends them as `cache-tags`
 * beside the `Cache-Control` Apollo Server derives from `@cacheControl`, so the gateway can drop cached responses by
 * tag when an event says the data changed (the REST API's `Cache-Tags` convention).
 */
const MAX_CACHE_TAGS_LENGTH = 8 * 1024;

const cacheTagsHeader: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const tags = (contextValue as { cacheTags?: unknown }).cacheTags;
        if (!(tags instanceof Set) || tags.size === 0) return;
        const header = [...(tags as Set<string>)].join(',');
        // A response whose tags cannot all be sent (an id no header may carry, too many) must not be cached at all:
        // nothing could invalidate it.
        if (header.length > MAX_CACHE_TAGS_LENGTH || !/^[\x21-\x7e]+$/.test(header)) response.http.headers.set('cache-control', 'no-store');
        else response.http.headers.set('cache-tags', header);
      },
    };
  },
};

/**
 * The caller a subgraph believes: only a valid gateway signature counts. Forged or stale identity headers
 * are logged and treated as anonymous (DESIGN.md 3).
 */
export function callerFromHeaders(headers: Parameters<typeof verifyIdentity>[0], signingSecret: string, logger: Logger): Caller {
  const verification = verifyIdentity(headers, signingSecret);
  if (verification.status === 'verified') return verification.identity;
  if (verification.status === 'rejected') {
    logger.warn({ reason: verification.reason }, 'ignoring identity headers that are not validly signed; treating the request as anonymous');
  }
  return null;
}
