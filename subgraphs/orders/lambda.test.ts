/**
 * Orders' Lambda entry points invoked as AWS invokes them, against DynamoDB Local and a real Catalog service as
 * the origin of the anti-corruption layer: the function URL handler, the EventBridge consumers (payments,
 * product changes) and the outbox relay on the table's stream.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Identity } from '../../lib/auth';
import { loadConfig } from '../../lib/config';
import { InvalidEventError, allPendingOutboxItems } from '../../lib/events';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { createServiceRuntime } from '../../lib/runtime';
import { ensureTables } from '../../scripts/system';
import { CREATE_PRODUCT, startTestCatalog, type ProductView, type TestCatalog } from '../../test/support/catalog';
import { graphql as httpGraphql } from '../../test/support/graphql';
import { TEST_EVENT_SIGNING_SECRET, TEST_SIGNING_SECRET } from '../../test/support/system';
import { eventBridgeEvent, graphqlEvent, jsonBody, type GraphQLBody, lambdaContext, setLambdaEnvironment, streamEvent, streamRecord } from '../../test/support/lambda';
import { ORDER_FIELDS, PLACE_ORDER, READ_ORDER, type OrderView } from '../../test/support/orders';
import type * as OrdersLambda from './lambda';
import { testDynamoClients, testDynamoEndpoint, uniquePrefix } from '../../test/support/services';

// Orders and Catalog share the signing secret: the stock-holds command key is derived from it.
const SIGNING_SECRET = TEST_SIGNING_SECRET;
const CUSTOMER = { sub: 'customer-orders-lambda', roles: [] };

let lambda: typeof OrdersLambda;
let catalog: TestCatalog;
let restore: () => void;
let prefix: string;
let productId: string;
const dynamo = testDynamoClients();

beforeAll(async () => {
  catalog = await startTestCatalog('orders-lambda-catalog');
  // Through Catalog's own API, as an admin signed the way the gateway signs (contexts meet through the graph).
  const created = await httpGraphql<{ createProduct: ProductView }>(
    `${catalog.url}/graphql`,
    CREATE_PRODUCT,
    { input: { sku: 'LAMBDA-0001', name: 'Lambda mug', description: 'A mug', category: 'kitchen', price: { amount: 1250, currency: 'USD' }, stockQuantity: 10 } },
    { signedAs: { caller: { sub: 'admin', roles: ['admin'] }, secret: TEST_SIGNING_SECRET } },
  );
  if (!created.data) throw new Error(`Catalog refused the product: ${JSON.stringify(created.errors)}`);
  productId = created.data.createProduct.id;

  prefix = uniquePrefix('orders-lambda');
  restore = setLambdaEnvironment({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: testDynamoEndpoint(),
    TABLE_PREFIX: prefix,
    ORDERS_TABLE: `${prefix}orders`,
    EVENT_BUS: 'memory',
    GATEWAY_SIGNING_SECRET: SIGNING_SECRET,
    GATEWAY_SIGNING_SECRET_ARN: undefined,
    EVENT_SIGNING_SECRET: TEST_EVENT_SIGNING_SECRET,
    JWT_SECRET: undefined,
    REDIS_URL: undefined,
    CATALOG_REST_URL: catalog.url,
  });
  await ensureTables(createServiceRuntime(loadConfig({ NODE_ENV: 'test', DYNAMODB_ENDPOINT: testDynamoEndpoint(), TABLE_PREFIX: prefix }), 'test'), ['orders']);
  lambda = await import('./lambda');
});

afterAll(async () => {
  restore();
  await catalog.stop();
});

async function graphql<T>(query: string, variables: Record<string, unknown>, signedAs: { caller: Identity; secret: string }) {
  const result = (await lambda.handler(graphqlEvent(query, variables, {}, signedAs), lambdaContext())) as APIGatewayProxyStructuredResultV2;
  expect(result.statusCode).toBe(200);
  return jsonBody<GraphQLBody<T>>(result);
}

const asCustomer = () => ({ caller: CUSTOMER, secret: SIGNING_SECRET });

async function outboxEvents(): Promise<Record<string, unknown>[]> {
  const pending = { Items: await allPendingOutboxItems(dynamo.doc, `${prefix}orders`) };
  return pending.Items ?? [];
}

let order: OrderView;

describe('Orders GraphQL handler (function URL)', () => {
  it('places an order for the signed customer, snapshotting the product through the Catalog ACL', async () => {
    const body = await graphql<{ placeOrder: OrderView }>(PLACE_ORDER, { input: { items: [{ productId, quantity: 2 }] } }, asCustomer());
    expect(body.errors).toBeUndefined();
    order = body.data!.placeOrder;
    expect(order).toMatchObject({
      customer: { id: CUSTOMER.sub },
      status: 'PENDING',
      total: { amount: 2500, currency: 'USD' },
      items: [{ product: { id: productId }, productName: 'Lambda mug', unitPrice: { amount: 1250, currency: 'USD' }, quantity: 2 }],
    });
  });

  it('treats a forged identity as anonymous', async () => {
    const forged = { caller: CUSTOMER, secret: 'not-the-gateway-secret-0123456789abcdef' };
    const body = await graphql<{ me: unknown }>('{ me { id } }', {}, forged);
    expect(body.errors?.map((error) => error.extensions?.['code'])).toEqual(['UNAUTHENTICATED']);
    const owner = await graphql<{ me: { id: string; orders: { edges: { node: { id: string } }[] } } }>(
      '{ me { id orders(first: 5) { edges { node { id } } } } }',
      {},
      asCustomer(),
    );
    expect(owner.data?.me).toEqual({ id: CUSTOMER.sub, orders: { edges: [{ node: { id: order.id } }] } });
  });
});

describe('Orders event handler (EventBridge rule target)', () => {
  it('confirms the order on payment.completed, once however often the event arrives', async () => {
    const payment = sampleEnvelope('payment.completed', { orderId: order.id });
    await expect(lambda.eventHandler(eventBridgeEvent(payment))).resolves.toEqual({ handled: 1 });
    await expect(lambda.eventHandler(eventBridgeEvent(payment))).resolves.toEqual({ handled: 1 });

    const read = await graphql<{ order: OrderView }>(READ_ORDER, { id: order.id }, asCustomer());
    expect(read.data?.order.status).toBe('CONFIRMED');
    const confirmations = (await outboxEvents()).filter((row) => String(row['event']).includes('"order.confirmed"'));
    expect(confirmations).toHaveLength(1);
  });

  it('takes product changes (cache invalidation by tag)', async () => {
    const changed = sampleEnvelope('product.price.changed', { productId });
    await expect(lambda.eventHandler(eventBridgeEvent(changed))).resolves.toEqual({ handled: 1 });
    const updated = sampleEnvelope('product.updated', { productId });
    await expect(lambda.eventHandler(eventBridgeEvent(updated))).resolves.toEqual({ handled: 1 });
  });

  it('fails a delivery whose detail-type disagrees with its envelope, so EventBridge retries and dead-letters it', async () => {
    const payment = sampleEnvelope('payment.completed', { orderId: order.id });
    await expect(lambda.eventHandler({ ...eventBridgeEvent(payment), 'detail-type': 'product.updated' })).rejects.toThrow(InvalidEventError);
  });
});

describe('Orders outbox relay (table stream)', () => {
  it('publishes the order events committed so far and deletes their rows', async () => {
    const rows = await outboxEvents();
    expect(rows.map((row) => (JSON.parse(String(row['event'])) as { type: string }).type).sort()).toEqual(['order.confirmed', 'order.created']);
    const result = await lambda.outboxRelayHandler(streamEvent([...rows.map((row) => streamRecord('INSERT', row)), streamRecord('MODIFY', { pk: `ORDER#${order.id}`, sk: 'ORDER' })]));
    expect(result).toEqual({ published: 2, ignored: 1 });
    expect(await outboxEvents()).toEqual([]);
  });

  it('leaves the order itself alone', async () => {
    const read = await graphql<{ order: OrderView }>(`query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id: order.id }, asCustomer());
    expect(read.data?.order).toMatchObject({ id: order.id, status: 'CONFIRMED' });
  });
});
