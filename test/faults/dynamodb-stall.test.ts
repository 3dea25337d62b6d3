import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../../lib/config';
import { createDynamoClients } from '../../lib/dynamodb';
import { startDynamoDbLocal, type LocalDynamo } from '../../lib/dynamodb/local';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startSystem, type RunningSystem } from '../../scripts/system';
import { createProduct, placeOrderVia } from '../support/commerce';
import { errorCodes, graphql } from '../support/graphql';
import { MY_ORDERS, PLACE_ORDER, type MyOrdersPage } from '../support/orders';
import { testEnv, tokenFor } from '../support/system';

/**
 * Fault (issue 9): DynamoDB stalls (SIGSTOP of its process; connections still open, nothing answers). Before,
 * requests hung for the whole outage and the work the client had given up on was committed once DynamoDB came
 * back. Now every request has a deadline (REQUEST_TIMEOUT_MS): the client gets SERVICE_UNAVAILABLE (HTTP 503)
 * within it, the abandoned work is aborted, and nothing of it is written after DynamoDB resumes.
 *
 * This file stops its own DynamoDB Local, never the one the other test files share.
 */

const REQUEST_TIMEOUT_MS = 1500;
let dynamo: LocalDynamo;
let system: RunningSystem;
let productId: string;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  system = await startSystem(
    loadConfig(testEnv('fault-dynamodb-stall', { DYNAMODB_ENDPOINT: dynamo.endpoint, REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), DYNAMODB_REQUEST_TIMEOUT_MS: '1000' })),
    { notifications: false },
  );
  productId = await createProduct(system.urls.gateway, 'STALL-1', 1_000);
}, 60_000);

afterAll(async () => {
  dynamo?.process.kill('SIGCONT');
  await system?.stop();
  await dynamo?.stop();
});

describe('a stalled DynamoDB', () => {
  it('answers SERVICE_UNAVAILABLE within the deadline, and commits nothing late once DynamoDB resumes', async () => {
    const customer = 'customer-stall';
    const token = await tokenFor(customer);
    const admin = await tokenFor('admin-stall', { admin: true });
    const before = await placeOrderVia(system.urls.gateway, token, productId, 1);

    dynamo.process.kill('SIGSTOP');
    let resumed = false;
    try {
      const started = Date.now();
      const [placed, confirmed] = await Promise.all([
        fetch(system.urls.gateway, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: PLACE_ORDER, variables: { input: { items: [{ productId, quantity: 2 }], idempotencyKey: 'during-stall' } } }),
        }),
        graphql(system.urls.gateway, 'mutation($id: ID!) { confirmOrder(id: $id) { id status } }', { id: before.id }, { token: admin }),
      ]);
      const elapsedMs = Date.now() - started;
      const body = (await placed.json()) as { data: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
      expect(placed.status).toBe(503);
      expect(body.data).toBeNull();
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(body.errors![0]!.message).toMatch(/did not complete within its 1500 ms deadline|abandoned/);
      expect(errorCodes(confirmed)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(confirmed.status).toBe(503);
      // Bounded by the deadline, not by the outage (generous slack for a loaded machine).
      expect(elapsedMs).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);

      // Outside any request (a relay sweep, a script), the client's own timeouts bound each attempt.
      const bare = createDynamoClients({ endpoint: dynamo.endpoint, region: 'us-east-1', connectionTimeoutMs: 300, requestTimeoutMs: 300 });
      await expect(bare.client.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'TimeoutError' });
      bare.client.destroy();

      dynamo.process.kill('SIGCONT');
      resumed = true;
      // DynamoDB answers again: a new order goes through end to end.
      await waitFor('DynamoDB to answer again', async () => (await fetch(`${system.urls.orders}/health`)).status === 200, 30_000, 100);
      const after = await placeOrderVia(system.urls.gateway, token, productId, 3);

      const mine = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 10 }, { token });
      expect(mine.data!.me!.orders.edges.map((edge) => edge.node.id)).toEqual([after.id, before.id]);
      expect(await system.orders.deps.orders.findIdempotencyKey(customer, 'during-stall')).toBeNull();
      expect((await system.orders.deps.orders.findById(before.id))?.status).toBe('PENDING');
      // The key is free: the client's retry places the order once.
      const retried = await graphql<{ placeOrder: { id: string } }>(
        system.urls.gateway,
        PLACE_ORDER,
        { input: { items: [{ productId, quantity: 2 }], idempotencyKey: 'during-stall' } },
        { token },
      );
      expect(retried.errors).toBeUndefined();
      expect((await system.orders.deps.orders.findIdempotencyKey(customer, 'during-stall'))?.orderId).toBe(retried.data!.placeOrder.id);
    } finally {
      if (!resumed) dynamo.process.kill('SIGCONT');
    }
  }, 90_000);
});
