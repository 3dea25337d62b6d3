/**
 * Rewards' Lambda entry points invoked as AWS invokes them, against DynamoDB Local: the EventBridge consumer
 * (one issuance per order however often `order.completed` arrives), the function URL handler, the scheduled
 * expiry job and the outbox relay on the table's stream.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from '../../lib/config';
import { allPendingOutboxItems } from '../../lib/events';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { createServiceRuntime } from '../../lib/runtime';
import { ensureTables } from '../../scripts/system';
import { ManualClock } from '../../test/support/catalog';
import { eventBridgeEvent, graphqlEvent, jsonBody, type GraphQLBody, lambdaContext, setLambdaEnvironment, streamEvent, streamRecord } from '../../test/support/lambda';
import type * as RewardsLambda from './lambda';
import { testDynamoClients, testDynamoEndpoint, uniquePrefix } from '../../test/support/services';
import { issueRewardForCompletedOrder } from './application/issue-order-reward';
import { rewardsModule } from './service';
import { TEST_EVENT_SIGNING_SECRET } from '../../test/support/system';

const SIGNING_SECRET = 'rewards-lambda-signing-secret-0123456789abcdef';
const CUSTOMER = 'customer-rewards-lambda';
const OLD_CUSTOMER = 'customer-rewards-lambda-old';

let lambda: typeof RewardsLambda;
let restore: () => void;
let prefix: string;
const dynamo = testDynamoClients();

beforeAll(async () => {
  prefix = uniquePrefix('rewards-lambda');
  restore = setLambdaEnvironment({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: testDynamoEndpoint(),
    TABLE_PREFIX: prefix,
    REWARDS_TABLE: `${prefix}rewards`,
    EVENT_BUS: 'memory',
    GATEWAY_SIGNING_SECRET: SIGNING_SECRET,
    GATEWAY_SIGNING_SECRET_ARN: undefined,
    EVENT_SIGNING_SECRET: TEST_EVENT_SIGNING_SECRET,
    JWT_SECRET: undefined,
    REDIS_URL: undefined,
  });
  await ensureTables(createServiceRuntime(loadConfig({ NODE_ENV: 'test', DYNAMODB_ENDPOINT: testDynamoEndpoint(), TABLE_PREFIX: prefix }), 'test'), ['rewards']);
  lambda = await import('./lambda');
});

afterAll(() => restore());

interface RewardsView {
  readonly balance: number;
  readonly lifetimePoints: number;
  readonly tier: string;
  readonly transactions: { readonly edges: { readonly node: { readonly type: string; readonly points: number; readonly order: { readonly id: string } | null } }[] };
}

const REWARDS_OF = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Customer { id rewards { balance lifetimePoints tier transactions(first: 10) { edges { node { type points order { id } } } } } } } }`;

async function graphql<T>(query: string, variables: Record<string, unknown>, customer: string) {
  const signedAs = { caller: { sub: customer, roles: [] }, secret: SIGNING_SECRET };
  const result = (await lambda.handler(graphqlEvent(query, variables, {}, signedAs), lambdaContext())) as APIGatewayProxyStructuredResultV2;
  expect(result.statusCode).toBe(200);
  return jsonBody<GraphQLBody<T>>(result);
}

async function rewardsOf(customer: string): Promise<RewardsView> {
  const body = await graphql<{ _entities: { rewards: RewardsView }[] }>(REWARDS_OF, { reps: [{ __typename: 'Customer', id: customer }] }, customer);
  expect(body.errors).toBeUndefined();
  return body.data!._entities[0]!.rewards;
}

const orderId = randomUUID();

describe('Rewards event handler (EventBridge rule target)', () => {
  it('issues points once for the same order.completed event delivered twice', async () => {
    // $123.45 at BRONZE: floor(123 x 1) = 123 points (docs/architecture.md §2).
    const completed = sampleEnvelope('order.completed', { orderId, customerId: CUSTOMER, total: { amount: 12_345, currency: 'USD' } });
    await expect(lambda.eventHandler(eventBridgeEvent(completed))).resolves.toEqual({ handled: 1 });
    await expect(lambda.eventHandler(eventBridgeEvent(completed))).resolves.toEqual({ handled: 1 });

    const rewards = await rewardsOf(CUSTOMER);
    expect(rewards).toMatchObject({ balance: 123, lifetimePoints: 123, tier: 'BRONZE' });
    expect(rewards.transactions.edges.map((edge) => edge.node)).toEqual([{ type: 'ISSUED', points: 123, order: { id: orderId } }]);
  });

  it('issues nothing more for another event about the same order', async () => {
    const again = sampleEnvelope('order.completed', { orderId, customerId: CUSTOMER, total: { amount: 12_345, currency: 'USD' } });
    await expect(lambda.eventHandler(eventBridgeEvent(again))).resolves.toEqual({ handled: 1 });
    expect((await rewardsOf(CUSTOMER)).balance).toBe(123);
  });
});

describe('Rewards GraphQL handler (function URL)', () => {
  it('redeems points for the signed customer and refuses more than the balance', async () => {
    const redeemed = await graphql<{ redeemPoints: { balance: number } }>('mutation { redeemPoints(points: 23) { balance } }', {}, CUSTOMER);
    expect(redeemed.data).toEqual({ redeemPoints: { balance: 100 } });
    const refused = await graphql('mutation { redeemPoints(points: 1000) { balance } }', {}, CUSTOMER);
    expect(refused.errors?.map((error) => error.extensions?.['code'])).toEqual(['INSUFFICIENT_POINTS']);
  });

  it('answers Order.rewardPoints for the order the points were issued for', async () => {
    const body = await graphql<{ _entities: { rewardPoints: number | null }[] }>(
      'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { rewardPoints } } }',
      { reps: [{ __typename: 'Order', id: orderId }] },
      CUSTOMER,
    );
    expect(body.data?._entities).toEqual([{ rewardPoints: 123 }]);
  });
});

describe('Rewards expiry job (schedule)', () => {
  it('expires points issued more than 12 months ago and reports what it did; a second run expires nothing', async () => {
    // Points issued 13 months ago, written through the same repository with a clock set back.
    const runtime = createServiceRuntime(loadConfig({ NODE_ENV: 'test', DYNAMODB_ENDPOINT: testDynamoEndpoint(), TABLE_PREFIX: prefix, LOG_LEVEL: 'silent' }), 'test');
    const past = rewardsModule(runtime, { clock: new ManualClock(Date.now() - 396 * 24 * 3600 * 1000) });
    await issueRewardForCompletedOrder(
      past.deps,
      { orderId: randomUUID(), customerId: OLD_CUSTOMER, total: { amount: 5_000, currency: 'USD' } },
      { consumer: 'test', eventId: randomUUID() },
    );

    const report = await lambda.expiryHandler();
    expect(report).toEqual({ accountsChecked: 2, accountsExpired: 1, pointsExpired: 50 });
    expect(await rewardsOf(OLD_CUSTOMER)).toMatchObject({ balance: 0, lifetimePoints: 50 });
    expect((await rewardsOf(CUSTOMER)).balance).toBe(100);
    await expect(lambda.expiryHandler()).resolves.toEqual({ accountsChecked: 2, accountsExpired: 0, pointsExpired: 0 });
  });
});

describe('Rewards outbox relay (table stream)', () => {
  it('publishes the reward events and deletes their rows', async () => {
    const pending = { Items: await allPendingOutboxItems(dynamo.doc, `${prefix}rewards`) };
    const rows = pending.Items ?? [];
    const types = rows.map((row) => (JSON.parse(String(row['event'])) as { type: string }).type).sort();
    expect(types).toEqual(['reward.expired', 'reward.issued', 'reward.issued', 'reward.redeemed']);
    await expect(lambda.outboxRelayHandler(streamEvent(rows.map((row) => streamRecord('INSERT', row))))).resolves.toEqual({ published: 4, ignored: 0 });
    const left = { Items: await allPendingOutboxItems(dynamo.doc, `${prefix}rewards`) };
    expect(left.Items).toEqual([]);
  });
});
