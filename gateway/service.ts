import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import cors from 'cors';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { createTokenVerifier, type TokenVerifier } from '../lib/auth';
import { AppError } from '../lib/ddd';
import { apolloLogger, createErrorFormatter, mountGraphQL, toGraphQLError } from '../lib/graphql';
import { createServiceApp, listen, type RunningServer } from '../lib/http';
import { createMetricsRegistry } from '../lib/metrics';
import type { ServiceRuntime } from '../lib/runtime';
import { authenticate } from './authenticate';
import type { GatewayContext } from './gateway-context';
import { queryLimitsPlugin } from './query-limits';
import { SignedIdentityDataSource } from './signed-data-source';

export const SUPERGRAPH_PATH = resolve(__dirname, '../schema/supergraph.graphql');

export interface GatewayOptions {
  /** Supergraph SDL; defaults to the composed schema/supergraph.graphql. */
  readonly supergraphSdl?: string;
}

export interface Gateway {
  readonly server: ApolloServer<GatewayContext>;
  readonly app: Express;
  readonly registry: Registry;
  readonly verifyToken: TokenVerifier;
}

/** Composition root of the gateway: the supergraph executor (started), auth, limits and the HTTP app (not listening). */
export async function createGateway(runtime: ServiceRuntime, options: GatewayOptions = {}): Promise<Gateway> {
  const { config, logger } = runtime;
  const registry = createMetricsRegistry('gateway');
  const verifyToken = createTokenVerifier(config.jwt);
  const urls: Record<string, string> = {
    catalog: config.urls.catalogGraphql,
    orders: config.urls.ordersGraphql,
    rewards: config.urls.rewardsGraphql,
  };

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, 'utf8'),
    logger: apolloLogger(logger),
    buildService: ({ name, url }) => {
      const target = urls[name] ?? url;
      if (!target) throw new Error(`no URL configured for subgraph ${name}`);
      return new SignedIdentityDataSource(target, config.gatewaySigningSecret);
    },
  });

  const server = new ApolloServer<GatewayContext>({
    gateway,
    logger: apolloLogger(logger),
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    // CSRF prevention is on by default in Apollo Server 5 and stays on.
    plugins: [
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      queryLimitsPlugin(config.queryLimits),
    ],
  });

  const app = createServiceApp({ service: 'gateway', logger, registry });
  app.use('/graphql', cors());
  await server.start();
  mountGraphQL(app, server, async (req) => {
    let caller;
    try {
      caller = await authenticate(verifyToken, req.headers.authorization);
    } catch (error) {
      if (error instanceof AppError) throw toGraphQLError(error);
      throw error;
    }
    return { caller, correlationId: req.correlationId, logger };
  });
  return { server, app, registry, verifyToken };
}

export interface RunningGateway extends Gateway {
  readonly http: RunningServer;
  stop(): Promise<void>;
}

export async function startGateway(runtime: ServiceRuntime, port: number, options: GatewayOptions = {}): Promise<RunningGateway> {
  const gateway = await createGateway(runtime, options);
  const http = await listen(gateway.app, port, runtime.config.host);
  return {
    ...gateway,
    http,
    async stop() {
      await http.close();
      await gateway.server.stop();
    },
  };
}
