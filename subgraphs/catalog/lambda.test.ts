/**
 * Catalog's Lambda entry points invoked as AWS invokes them, against DynamoDB Local, configured as infra/
 * deploys them: production mode, EventBridge as the bus, the signing secret read from Secrets Manager by ARN.
 * EventBridge and Secrets Manager are a local endpoint speaking their protocol.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Identity } from '../../lib/auth';
import { loadConfig } from '../../lib/config';
import { allPendingOutboxItems, envelopeFor, outboxItem } from '../../lib/events';
import { signedEventBody } from '../../lib/events/event-signature';
import { CORRELATION_HEADER } from '../../lib/logging';
import { createServiceRuntime } from '../../lib/runtime';
import { ensureTables } from '../../scripts/system';
import { CREATE_PRODUCT, productInput, type ProductView } from '../../test/support/catalog';
import {
  functionUrlEvent,
  graphqlEvent,
  jsonBody,
  type GraphQLBody,
  lambdaContext,
  setLambdaEnvironment,
  startFakeAws,
  streamEvent,
  streamRecord,
  type FakeAws,
} from '../../test/support/lambda';
import type * as CatalogLambda from './lambda';
import { testDynamoClients, testDynamoEndpoint, uniquePrefix } from '../../test/support/services';
import { TEST_EVENT_SIGNING_SECRET } from '../../test/support/system';

const SIGNING_SECRET = 'catalog-lambda-signing-secret-0123456789abcdef';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecommerce-test-gateway-signing-secret-AbCdEf';
const ADMIN = { caller: { sub: 'admin-1', roles: ['admin'] }, secret: SIGNING_SECRET };

let lambda: typeof CatalogLambda;
let aws: FakeAws;
let restore: () => void;
let prefix: string;
const dynamo = testDynamoClients();

beforeAll(async () => {
  aws = await startFakeAws({ [SECRET_ARN]: SIGNING_SECRET });
  prefix = uniquePrefix('catalog-lambda');
  restore = setLambdaEnvironment({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_EVENTBRIDGE: aws.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
    DYNAMODB_ENDPOINT: testDynamoEndpoint(),
    TABLE_PREFIX: prefix,
    CATALOG_TABLE: `${prefix}catalog`,
    EVENT_BUS: 'eventbridge',
    EVENT_BUS_NAME: `${prefix}events`,
    GATEWAY_SIGNING_SECRET: undefined,
    GATEWAY_SIGNING_SECRET_ARN: SECRET_ARN,
    EVENT_SIGNING_SECRET: TEST_EVENT_SIGNING_SECRET,
    JWT_SECRET: undefined,
  });
  await ensureTables(createServiceRuntime(loadConfig({ NODE_ENV: 'test', DYNAMODB_ENDPOINT: testDynamoEndpoint(), TABLE_PREFIX: prefix }), 'test'), ['catalog']);
  lambda = await import('./lambda');
});

afterAll(async () => {
  restore();
  await aws.stop();
});

async function graphql<T>(query: string, variables: Record<string, unknown> = {}, signedAs?: { caller: Identity; secret: string }, headers: Record<string, string> = {}) {
  const result = (await lambda.handler(graphqlEvent(query, variables, headers, signedAs), lambdaContext())) as APIGatewayProxyStructuredResultV2;
  return { result, body: jsonBody<GraphQLBody<T>>(result) };
}

let created: ProductView;

describe('Catalog GraphQL handler (function URL)', () => {
  it('serves a mutation from a signed admin identity and the product to an anonymous reader', async () => {
    const { result, body } = await graphql<{ createProduct: ProductView }>(CREATE_PRODUCT, { input: productInput(1) }, ADMIN);
    expect(result.statusCode).toBe(200);
    expect(body.errors).toBeUndefined();
    created = body.data!.createProduct;
    expect(created).toMatchObject({ sku: 'E2E-0001', name: 'Product 1', price: { amount: 101, currency: 'USD' } });

    const read = await graphql<{ product: ProductView | null }>('query ($id: ID!) { product(id: $id) { id name inStock } }', { id: created.id });
    expect(read.body.data).toEqual({ product: { id: created.id, name: 'Product 1', inStock: true } });
  });

  it('treats a forged identity as anonymous: admin mutations are refused', async () => {
    const forged = { caller: { sub: 'admin-1', roles: ['admin'] }, secret: 'not-the-gateway-secret-0123456789abcdef' };
    const { result, body } = await graphql(CREATE_PRODUCT, { input: productInput(2) }, forged);
    expect(result.statusCode).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors?.map((error) => error.extensions?.['code'])).toEqual(['UNAUTHENTICATED']);
  });

  it('echoes the correlation id it was given', async () => {
    const { result } = await graphql('{ products(first: 1) { edges { node { id } } } }', {}, undefined, { [CORRELATION_HEADER]: 'corr-catalog-lambda-1' });
    expect(result.headers?.[CORRELATION_HEADER]).toBe('corr-catalog-lambda-1');
  });
});

describe('Catalog REST API through the same function URL', () => {
  it('answers GET /products/:id with validators, and 304 when revalidated with the ETag', async () => {
    const first = (await lambda.handler(functionUrlEvent({ path: `/products/${created.id}` }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(first.statusCode).toBe(200);
    expect(first.headers).toMatchObject({ etag: expect.any(String), 'cache-control': expect.stringContaining('max-age'), 'last-modified': expect.any(String) });
    expect(jsonBody<{ id: string; name: string }>(first)).toMatchObject({ id: created.id, name: 'Product 1' });

    const etag = String(first.headers!['etag']);
    const revalidated = (await lambda.handler(
      functionUrlEvent({ path: `/products/${created.id}`, headers: { 'if-none-match': etag } }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body ?? '').toBe('');
    expect(revalidated.headers?.['etag']).toBe(etag);
  });

  it('answers batch reads, unknown products and malformed ids', async () => {
    const unknown = randomUUID();
    const batch = (await lambda.handler(functionUrlEvent({ path: '/products', query: `ids=${created.id},${unknown}` }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(batch.statusCode).toBe(200);
    expect(jsonBody<{ products: { id: string }[]; notFound: string[] }>(batch)).toMatchObject({ products: [{ id: created.id }], notFound: [unknown] });
    const missing = (await lambda.handler(functionUrlEvent({ path: `/products/${unknown}` }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(missing.statusCode).toBe(404);
    const malformed = (await lambda.handler(functionUrlEvent({ path: '/products/not-a-uuid' }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(malformed.statusCode).toBe(400);
  });
});

describe('Catalog outbox relay (table stream)', () => {
  it('publishes the committed outbox rows to EventBridge, deletes them, and ignores every other record', async () => {
    const pending = { Items: await allPendingOutboxItems(dynamo.doc, `${prefix}catalog`) };
    const rows = pending.Items ?? [];
    expect(rows).toHaveLength(1);
    const row = rows[0]!;

    const result = await lambda.outboxRelayHandler(
      streamEvent([
        streamRecord('INSERT', { pk: `PRODUCT#${created.id}`, sk: 'PRODUCT', name: 'Product 1' }),
        streamRecord('INSERT', row),
        streamRecord('REMOVE', { pk: 'OUTBOX#already-published', sk: 'OUTBOX' }),
      ]),
    );
    expect(result).toEqual({ published: 1, ignored: 2 });

    expect(aws.putEvents).toHaveLength(1);
    const [entry] = aws.putEvents;
    expect(entry).toMatchObject({ Source: 'ecommerce.catalog', DetailType: 'product.created', EventBusName: `${prefix}events` });
    expect(JSON.parse(entry!.Detail)).toMatchObject({ type: 'product.created', data: { productId: created.id, sku: 'E2E-0001' } });
    // What is published is what was committed (outbox-record.ts), signed (lib/events/event-signature.ts).
    expect(entry!.Detail).toBe(signedEventBody(JSON.parse(String(row['event'])) as object, TEST_EVENT_SIGNING_SECRET));

    const left = await dynamo.doc.send(
      new QueryCommand({ TableName: `${prefix}catalog`, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': row['pk'] } }),
    );
    expect(left.Items).toEqual([]);
  });
});

describe('Catalog outbox sweep (schedule)', () => {
  it('publishes a row the stream path left pending and deletes it', async () => {
    // A product.updated written a minute ago whose stream batch never got published (e.g. dead-lettered).
    const envelope = envelopeFor(
      {
        type: 'product.updated',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        data: { productId: randomUUID(), sku: 'SWEPT-1', category: 'tests', changed: ['name'] },
      },
      'sweep-correlation',
    );
    await dynamo.doc.send(new PutCommand({ TableName: `${prefix}catalog`, Item: { ...outboxItem(envelope) } }));
    const before = aws.putEvents.length;

    const result = await lambda.outboxRelayHandler({ sweep: true });

    expect(result).toEqual({ published: 1 });
    expect(aws.putEvents.slice(before).map((entry) => JSON.parse(entry.Detail) as { id: string })).toEqual([expect.objectContaining({ id: envelope.id })]);
    const left = await dynamo.doc.send(
      new QueryCommand({ TableName: `${prefix}catalog`, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `OUTBOX#${envelope.id}` } }),
    );
    expect(left.Items).toEqual([]);
    // Nothing left to sweep: a second run publishes nothing.
    expect(await lambda.outboxRelayHandler({ sweep: true })).toEqual({ published: 0 });
  });
});

describe('container', () => {
  it('resolved the signing secret from Secrets Manager once, at its first invocation, for every later one', () => {
    expect(aws.secretReads).toEqual([SECRET_ARN]);
  });
});
