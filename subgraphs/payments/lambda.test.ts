/**
 * Payments' Lambda entry points invoked as AWS invokes them (production mode), against DynamoDB Local and the Stripe
 * emulator: the public webhook function URL, the IAM function URL's internal API, the consumer of order.cancelled and
 * order.confirmed, and the outbox relay, which runs without Stripe's keys.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import Stripe from 'stripe';
import { internalCommandKey, serviceIdentity, signRequest } from '../../lib/auth';
import { loadConfig } from '../../lib/config';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { createServiceRuntime } from '../../lib/runtime';
import { ensureTables } from '../../scripts/system';
import { startStripeEmulator, type RunningStripeEmulator } from '../../dev/stripe-emulator';
import { eventBridgeEvent, functionUrlEvent, jsonBody, lambdaContext, setLambdaEnvironment } from '../../test/support/lambda';
import { testDynamoClients, testDynamoEndpoint, uniquePrefix } from '../../test/support/services';
import { TEST_EVENT_SIGNING_SECRET, TEST_SIGNING_SECRET } from '../../test/support/system';
import type * as PaymentsLambda from './lambda';

const WEBHOOK_SECRET = 'whsec_lambdaTest0123456789';
let lambda: typeof PaymentsLambda;
let emulator: RunningStripeEmulator;
let restore: () => void;
let prefix: string;
const dynamo = testDynamoClients();

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0 });
  prefix = uniquePrefix('payments-lambda');
  restore = setLambdaEnvironment({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: testDynamoEndpoint(),
    TABLE_PREFIX: prefix,
    PAYMENTS_TABLE: `${prefix}payments`,
    EVENT_BUS: 'memory',
    GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
    EVENT_SIGNING_SECRET: TEST_EVENT_SIGNING_SECRET,
    JWT_SECRET: undefined,
    REDIS_URL: undefined,
    ORDERS_URL: 'http://127.0.0.1:9/graphql',
    STRIPE_SECRET_KEY: 'sk_test_LambdaTest',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_URL: emulator.url,
  });
  await ensureTables(createServiceRuntime(loadConfig({ NODE_ENV: 'test', DYNAMODB_ENDPOINT: testDynamoEndpoint(), TABLE_PREFIX: prefix }), 'test'), ['payments']);
  lambda = await import('./lambda');
}, 60_000);
afterAll(async () => {
  restore();
  await emulator.close();
});

const webhook = (body: string, headers: Record<string, string>, path = '/webhooks/stripe', method = 'POST') =>
  lambda.webhookHandler(functionUrlEvent({ method, path, headers: { 'content-type': 'application/json', ...headers }, body })) as Promise<APIGatewayProxyStructuredResultV2>;

describe('the webhook function URL', () => {
  const event = (id: string, intentId: string) =>
    JSON.stringify({ id, object: 'event', type: 'payment_intent.amount_capturable_updated', created: Math.floor(Date.now() / 1000), data: { object: { id: intentId, object: 'payment_intent' } } });

  it('refuses a missing or bad signature with 400, and serves nothing but POST /webhooks/stripe', async () => {
    const body = event('evt_lambda_unsigned', 'pi_nothing');
    expect((await webhook(body, {})).statusCode).toBe(400);
    expect((await webhook(body, { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_other' }) })).statusCode).toBe(400);
    expect((await webhook(body, {}, '/graphql')).statusCode).toBe(404);
    expect((await webhook(body, {}, '/webhooks/stripe', 'GET')).statusCode).toBe(404);
  });

  it('handles a signed event: an authorization nothing here stands for is voided at Stripe', async () => {
    const stripe = new Stripe('sk_test_LambdaTest', { host: '127.0.0.1', port: Number(new URL(emulator.url).port), protocol: 'http' });
    const intent = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', capture_method: 'manual', allowed_payment_method_types: ['card'], metadata: { order_id: randomUUID() } });
    await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    const body = event(`evt_lambda_${randomUUID()}`, intent.id);
    const answer = await webhook(body, { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET }) });
    expect([answer.statusCode, jsonBody(answer)]).toEqual([200, { received: true }]);
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('canceled');
  });
});

describe('the API function URL', () => {
  it('serves the internal capture command to Orders: NOT_FOUND for an order without a payment', async () => {
    const body = JSON.stringify({ orderId: randomUUID() });
    const headers = signRequest({ caller: serviceIdentity('orders'), method: 'POST', path: '/internal/payments/capture', body }, internalCommandKey(TEST_SIGNING_SECRET));
    const result = (await lambda.handler(functionUrlEvent({ method: 'POST', path: '/internal/payments/capture', headers: { ...headers, 'content-type': 'application/json' }, body }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect([result.statusCode, jsonBody<{ error: { code: string } }>(result).error.code]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('the consumer of order events', () => {
  const closureOf = async (orderId: string) => (await dynamo.doc.send(new GetCommand({ TableName: `${prefix}payments`, Key: { pk: `ORDER#${orderId}`, sk: 'CLOSED' } }))).Item;

  it('remembers a cancellation, so no payment may start for the order', async () => {
    const orderId = randomUUID();
    const envelope = sampleEnvelope('order.cancelled', { orderId });
    expect(await lambda.eventHandler(eventBridgeEvent(envelope))).toEqual({ handled: 1 });
    expect(await closureOf(orderId)).toMatchObject({ orderId, closedAs: 'CANCELLED' });
  });

  it('remembers a confirmation by hand, and not one by the order’s card payment', async () => {
    const byHand = randomUUID();
    expect(await lambda.eventHandler(eventBridgeEvent(sampleEnvelope('order.confirmed', { orderId: byHand, confirmedBy: 'admin' })))).toEqual({ handled: 1 });
    expect(await closureOf(byHand)).toMatchObject({ orderId: byHand, closedAs: 'CONFIRMED' });
    const byPayment = randomUUID();
    expect(await lambda.eventHandler(eventBridgeEvent(sampleEnvelope('order.confirmed', { orderId: byPayment, confirmedBy: 'payment-authorized' })))).toEqual({ handled: 1 });
    expect(await closureOf(byPayment)).toBeUndefined();
  });
});

describe('the outbox relay', () => {
  it('runs without Stripe’s keys (its role cannot read them)', async () => {
    const keys = setLambdaEnvironment({ STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined });
    try {
      expect(await lambda.outboxRelayHandler({ sweep: true })).toEqual({ published: 0 });
    } finally {
      keys();
    }
  });
});
