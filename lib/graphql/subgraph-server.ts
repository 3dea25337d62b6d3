import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Caller } from '../auth';
import { verifyRequest, type SignedRequestTarget } from '../auth';
import type { Logger } from '../logging';
import { apolloLogger } from './apollo-logger';
import { createErrorFormatter } from './errors';
import { subgraphSchema, type CompiledSubgraphSchema } from './subgraph-schema';

/** What every subgraph resolver can rely on; contexts extend it with their own loaders and use cases. */
export interface BaseSubgraphContext extends BaseContext {
  readonly caller: Caller;
  readonly correlationId: string;
  readonly logger: Logger;
}

export interface SubgraphServerOptions {
  /** The subgraph's schema as `npm run codegen` compiled it (graphql/__generated__/subgraph-schema.ts). */
  readonly schema: CompiledSubgraphSchema;
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
    schema: subgraphSchema(options.schema, options.resolvers as GraphQLResolverMap<unknown>),
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

/** The key and the clock window subgraphs verify identity with (GATEWAY_SIGNING_SECRET, SIGNED_REQUEST_WINDOW_SECONDS). */
export interface RequestSigning {
  readonly secret: string;
  readonly windowSeconds: number;
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
 * The caller a subgraph believes: only a valid gateway signature over this very request (method, target, body
 * bytes as received) counts. Forged, stale or replayed-elsewhere identity headers are logged and treated as
 * anonymous (docs/architecture.md §3).
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
