import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signDevToken } from '../../lib/auth';
import { waitFor } from '../../lib/events/testing/wait-for';
import { bannerPort, startDev, waitForDevReady, type DevRun } from '../support/dev-runner';
import { graphql } from '../support/graphql';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { testDynamoEndpoint, testRedisUrl, uniquePrefix } from '../support/services';

/**
 * The OpenTelemetry SDK is process-global, so the traced system runs as `npm start` does, in a child process with
 * the telemetry preload, against this run's DynamoDB Local and redis-server (Redis Streams events), exporting
 * OTLP/HTTP JSON to a receiver in this process. The assertions follow trace ids across the gateway, the
 * subgraphs, DynamoDB and the event consumer.
 */

const JWT_SECRET = 'tracing-test-jwt-secret-0123456789abcdef0123';
const SPAN_KIND = { internal: 1, server: 2, client: 3, consumer: 5 } as const;

let receiver: OtlpReceiver;
let run: DevRun;
let gatewayUrl: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  run = startDev(
    {
      DYNAMODB_ENDPOINT: testDynamoEndpoint(),
      REDIS_URL: testRedisUrl(),
      EVENT_BUS: 'redis',
      TABLE_PREFIX: uniquePrefix('tracing'),
      JWT_SECRET,
      GATEWAY_PORT: '0',
      CATALOG_PORT: '0',
      ORDERS_PORT: '0',
      REWARDS_PORT: '0',
      SHIPPING_PORT: '0',
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
    { preload: ['./lib/telemetry/register.ts'] },
  );
  await waitForDevReady(run, 120_000);
  gatewayUrl = `http://127.0.0.1:${bannerPort(run.output(), 'Gateway')}/graphql`;
}, 150_000);

afterAll(async () => {
  if (run && run.child.exitCode === null && run.child.signalCode === null) {
    run.child.kill('SIGINT');
    await run.exited;
  }
  await receiver?.close();
});

const inTrace = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
const serverSpanOf = (spans: readonly ReceivedSpan[], service: string) =>
  spans.find((span) => span.kind === SPAN_KIND.server && span.attributes['commerce.service'] === service);
const dynamoSpans = (spans: readonly ReceivedSpan[]) => spans.filter((span) => span.attributes['rpc.service'] === 'DynamoDB');

/** Polls the received spans until `ready` holds, failing with what arrived when the deadline passes. */
async function spansUntil(what: string, ready: () => boolean, timeoutMs = 30_000): Promise<void> {
  const received = () => receiver.spans.map((span) => `${span.traceId.slice(0, 8)} ${span.name} ${String(span.attributes['commerce.service'] ?? '')}`);
  await waitFor(() => `${what}; received:\n${received().join('\n')}`, ready, timeoutMs, 100);
}

/** The trace id of the gateway's server span for the request that answered with this correlation id. */
function traceOfRequest(correlationId: string): string | undefined {
  return receiver.spans.find((span) => span.kind === SPAN_KIND.server && span.attributes['commerce.correlation_id'] === correlationId && span.attributes['commerce.service'] === 'gateway')
    ?.traceId;
}

async function traced<T>(query: string, variables: Record<string, unknown>, token: string): Promise<{ data: T; traceId: string }> {
  const response = await graphql<T>(gatewayUrl, query, variables, { token });
  expect(response.errors).toBeUndefined();
  const correlationId = response.headers.get('x-correlation-id')!;
  await spansUntil(`the gateway span of request ${correlationId}`, () => traceOfRequest(correlationId) !== undefined);
  return { data: response.data!, traceId: traceOfRequest(correlationId)! };
}

/** Polls the order until Rewards has issued its points (asynchronously, on order.completed). */
async function rewardIssued(orderId: string, token: string): Promise<void> {
  let last: unknown;
  await waitFor(
    () => `reward points for order ${orderId}: ${JSON.stringify(last)}`,
    async () => {
      last = await graphql<{ order: { rewardPoints: number | null } }>(gatewayUrl, 'query Points($id: ID!) { order(id: $id) { rewardPoints } }', { id: orderId }, { token });
      return (last as { data?: { order: { rewardPoints: number | null } } }).data?.order.rewardPoints != null;
    },
    30_000,
    100,
  );
}

describe('traces with OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL=http/json', () => {
  it('follow a federated query, a placed order and its completion through the gateway, the subgraphs, DynamoDB and the rewards consumer', async () => {
    const customer = await signDevToken({ sub: 'trace-customer', roles: [] }, JWT_SECRET);
    const admin = await signDevToken({ sub: 'trace-admin', roles: ['admin'] }, JWT_SECRET);
    const products = await graphql<{ products: { edges: { node: { id: string; price: { amount: number } } }[] } }>(
      gatewayUrl,
      '{ products(first: 1) { edges { node { id price { amount } } } } }',
    );
    const product = products.data!.products.edges[0]!.node;

    // A placed order: the Orders ACL reads the product from Catalog's REST API through the HTTP cache.
    const placed = await traced<{ placeOrder: { id: string } }>(
      'mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
      { input: { items: [{ productId: product.id, quantity: 2 }] } },
      customer,
    );
    const orderId = placed.data.placeOrder.id;
    await spansUntil('the Catalog lookup of the placed order', () =>
      inTrace(placed.traceId).some((span) => span.name === 'catalog-acl lookup' && span.attributes['http.cache.result'] !== undefined),
    );
    const lookup = inTrace(placed.traceId).find((span) => span.name === 'catalog-acl lookup')!;
    expect(lookup.attributes).toMatchObject({ 'commerce.product.id': product.id, 'http.cache.result': 'miss', 'commerce.service': 'orders' });
    // The miss went to Catalog: undici's client span under the lookup, and Catalog's REST server span under it.
    await spansUntil('the REST request to Catalog', () => serverSpanOf(inTrace(placed.traceId), 'catalog') !== undefined);
    const undiciSpan = inTrace(placed.traceId).find((span) => span.kind === SPAN_KIND.client && span.parentSpanId === lookup.spanId);
    expect(undiciSpan).toBeDefined();
    expect(serverSpanOf(inTrace(placed.traceId), 'catalog')!.parentSpanId).toBe(undiciSpan!.spanId);

    await traced('mutation Confirm($id: ID!) { confirmOrder(id: $id) { id } }', { id: orderId }, admin);
    // The completion, selecting a Catalog field too: the gateway plans fetches to Orders and Catalog.
    const completed = await traced<{ completeOrder: { status: string } }>(
      'mutation Complete($id: ID!) { completeOrder(id: $id) { status items { product { name } } } }',
      { id: orderId },
      admin,
    );
    expect(completed.data.completeOrder.status).toBe('COMPLETED');

    await spansUntil('the rewards consumer handling order.completed in the completion trace', () =>
      inTrace(completed.traceId).some((span) => span.name === 'process order.completed' && span.attributes['commerce.service'] === 'rewards'),
    );
    await spansUntil('the consumer’s DynamoDB writes', () => {
      const consumer = inTrace(completed.traceId).find((span) => span.name === 'process order.completed' && span.attributes['commerce.service'] === 'rewards');
      return consumer !== undefined && dynamoSpans(inTrace(completed.traceId)).some((span) => span.attributes['commerce.service'] === 'rewards');
    });
    const trace = inTrace(completed.traceId);
    const names = new Set(trace.map((span) => span.name));
    // The gateway: @apollo/gateway's own spans for the operation, its plan and each subgraph fetch.
    for (const name of ['gateway.request', 'gateway.plan', 'gateway.fetch']) expect(names.has(name)).toBe(true);
    expect(trace.filter((span) => span.name === 'gateway.fetch').length).toBeGreaterThanOrEqual(2);
    // Two subgraphs served it, each as an HTTP server span in the same trace, under the gateway's HTTP client span.
    for (const service of ['orders', 'catalog']) {
      const server = serverSpanOf(trace, service);
      expect(server).toBeDefined();
      const parent = trace.find((span) => span.spanId === server!.parentSpanId);
      expect(parent).toMatchObject({ kind: SPAN_KIND.client, attributes: expect.objectContaining({ 'commerce.service': 'gateway' }) });
    }
    // Orders' DynamoDB transaction (the order and its outbox row).
    expect(dynamoSpans(trace).some((span) => span.attributes['commerce.service'] === 'orders' && span.attributes['rpc.method'] === 'TransactWriteItems')).toBe(true);
    // The rewards consumer, over Redis Streams: parented to and linked with the span that wrote the event.
    const consumer = trace.find((span) => span.name === 'process order.completed' && span.attributes['commerce.service'] === 'rewards')!;
    expect(consumer).toMatchObject({
      kind: SPAN_KIND.consumer,
      attributes: expect.objectContaining({ 'messaging.system': 'redis', 'messaging.consumer.group.name': 'rewards', 'messaging.destination.name': 'order.completed' }),
    });
    expect(consumer.links).toEqual([{ traceId: completed.traceId, spanId: consumer.parentSpanId }]);
    expect(trace.some((span) => span.spanId === consumer.parentSpanId)).toBe(true);
    expect(dynamoSpans(trace).some((span) => span.attributes['commerce.service'] === 'rewards')).toBe(true);
    // Resolvers at a sane granularity: spans for the resolvers written for the schema, none for plain fields.
    expect(trace.some((span) => span.name === 'graphql.resolve completeOrder')).toBe(true);
    expect(trace.some((span) => span.name === 'graphql.resolve status')).toBe(false);

    // The federated query: product (Catalog), order (Orders) and rewards (Rewards) fields, one trace.
    await rewardIssued(orderId, customer);
    const federated = await traced<{ order: { rewardPoints: number | null } }>(
      'query Federated($id: ID!) { order(id: $id) { id status items { product { name inStock } } rewardPoints customer { rewards { balance } } } }',
      { id: orderId },
      customer,
    );
    expect(federated.data.order.rewardPoints).toBeGreaterThan(0);
    await spansUntil('the three subgraphs in the federated query trace', () =>
      ['catalog', 'orders', 'rewards'].every((service) => serverSpanOf(inTrace(federated.traceId), service) !== undefined),
    );
    expect(inTrace(federated.traceId).filter((span) => span.name === 'gateway.fetch').length).toBeGreaterThanOrEqual(3);

    // Log lines written while a span was active carry its trace_id and span_id.
    const logged = run
      .output()
      .split('\n')
      .filter((line) => line.includes(`"trace_id":"${completed.traceId}"`));
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.parse(logged[0]!)).toMatchObject({ trace_id: completed.traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });

    expect(receiver.rejected).toEqual([]);
    expect(new Set(receiver.spans.map((span) => span.service))).toEqual(new Set(['federated-commerce']));
    // Probes and scrapes are not traced.
    await fetch(gatewayUrl.replace('/graphql', '/health/ready'));
    expect(receiver.spans.some((span) => /health|metrics/.test(String(span.attributes['url.path'] ?? span.attributes['http.target'] ?? '')))).toBe(false);
  }, 120_000);
});

describe('traces of one part run alone (scripts/run-service.ts, as in the container image)', () => {
  it('name the part as the service and trace its DynamoDB reads', async () => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './lib/telemetry/register.ts', 'scripts/run-service.ts', 'catalog'], {
      cwd: resolve(__dirname, '../..'),
      env: {
        ...base,
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        DYNAMODB_ENDPOINT: testDynamoEndpoint(),
        TABLE_PREFIX: uniquePrefix('tracing-part'),
        EVENT_BUS: 'memory',
        CATALOG_PORT: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
    try {
      let url: string | undefined;
      await waitFor(
        () => `the catalog to start:\n${output}`,
        () => {
          if (child.exitCode !== null) throw new Error(`catalog exited with ${child.exitCode}:\n${output}`);
          return (url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*catalog is listening/.exec(output)?.[1]) !== undefined;
        },
        60_000,
        100,
      );
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await fetch(`${url}/products/${unknown}`)).status).toBe(404);
      await spansUntil('the catalog part’s spans', () =>
        receiver.spans.some((span) => span.service === 'catalog' && span.kind === SPAN_KIND.server && String(span.attributes['url.path'] ?? span.attributes['http.target']).endsWith(unknown)),
      );
      const server = receiver.spans.find((span) => span.service === 'catalog' && span.kind === SPAN_KIND.server)!;
      expect(dynamoSpans(inTrace(server.traceId)).map((span) => span.service)).toContain('catalog');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(child.exitCode).toBe(0);
  }, 90_000);
});
