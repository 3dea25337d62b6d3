import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Express } from 'express';
import { createSubgraphServer, type BaseSubgraphContext } from '../graphql';
import { callerFromRequest, mountGraphQL } from '../graphql/express-mount';
import { readOutboxBacklog, registerOutboxGauges } from '../events';
import { cachedHealthCheck, createServiceApp, listen, listenMetrics, registryOf, type RunningServer } from '../http';
import { redisHealthCheck } from '../redis/health';
import { requestSigning, type ServiceRuntime } from './service-runtime';
import type { SubgraphServiceSpec } from './subgraph-spec';

export interface SubgraphService<TContext extends BaseSubgraphContext> {
  readonly graphql: ApolloServer<TContext>;
  readonly app: Express;
}

/** How long a Redis probe's result is reused: each probe opens a connection. */
const READINESS_CACHE_MS = 2000;

/**
 * The HTTP side every subgraph shares: the service app (correlation id, logs, /health/ready probing its table
 * and Redis when configured,
 * /metrics), extra routes, and the federated GraphQL executor on /graphql whose caller comes only from a valid
 * gateway signature. The executor is started; nothing listens yet.
 */
export async function createSubgraphService<TContext extends BaseSubgraphContext>(
  runtime: ServiceRuntime,
  spec: SubgraphServiceSpec<TContext>,
): Promise<SubgraphService<TContext>> {
  const { config, logger, dynamo } = runtime;
  const graphql = createSubgraphServer<TContext>({ schema: spec.schema, resolvers: spec.resolvers as GraphQLResolverMap<never>, logger });
  const app = createServiceApp({
    service: spec.name,
    logger,
    registry: spec.registry,
    metrics: config.metrics,
    requestTimeoutMs: config.timeouts.requestMs,
    healthChecks: {
      dynamodb: async () => void (await dynamo.client.send(new DescribeTableCommand({ TableName: spec.tableName }))),
      ...(config.redisUrl ? { redis: cachedHealthCheck(redisHealthCheck(config.redisUrl), READINESS_CACHE_MS) } : {}),
    },
  });
  registerOutboxGauges(spec.registry, spec.name, () => readOutboxBacklog(dynamo.doc, spec.tableName), logger);
  spec.routes?.(app);
  await graphql.start();
  mountGraphQL(app, graphql, async (req) =>
    spec.context({ caller: callerFromRequest(req, requestSigning(config), logger), correlationId: req.correlationId, logger }),
  );
  return { graphql, app };
}

export interface Listening {
  readonly http: RunningServer;
  /** The separate `/metrics` listener, when METRICS_PORT asks for one. */
  readonly metricsHttp: RunningServer | undefined;
  stop(): Promise<void>;
}

/** Listens on `port` (0: any free port); `stop` closes HTTP first, then whatever the service holds. */
export async function listenService(
  service: { readonly app: Express; close(): Promise<void> },
  runtime: ServiceRuntime,
  port: number,
): Promise<Listening> {
  const http = await listen(service.app, port, runtime.config.host);
  const metricsHttp = await listenMetrics(registryOf(service.app), runtime.config.metrics, runtime.config.host).catch(async (error: unknown) => {
    await http.close();
    throw error;
  });
  return {
    http,
    metricsHttp,
    async stop() {
      await http.close();
      await metricsHttp?.close();
      await service.close();
    },
  };
}
