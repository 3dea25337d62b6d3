/**
 * Places an order and prints its status updates as they arrive over a graphql-ws subscription, with fields from
 * all three subgraphs. With an admin token it also confirms and completes the order, so the whole lifecycle shows;
 * with --watch-only it waits for someone else (Apollo Sandbox, another script) to change the status.
 *
 *   npm start        # in another terminal
 *   CUSTOMER_TOKEN=$(npm run -s token -- --sub customer-1) \
 *   ADMIN_TOKEN=$(npm run -s token -- --sub admin-1 --admin) \
 *   npx tsx examples/watch-order.ts [--watch-only]
 *
 * It talks to the gateway at GATEWAY_URL (default http://localhost:<GATEWAY_PORT>, 4000): GraphQL over HTTP at
 * <GATEWAY_URL>/graphql, the subscription on the same path over ws:// (docs/configuration.md).
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ConfigError, exampleTokensSchema, gatewayAddress, gatewayUnreachableMessage, parseEnv, unreachableReason, type GatewayAddress } from '../lib/config';

let gateway: GatewayAddress;
let tokens: { readonly CUSTOMER_TOKEN: string | undefined; readonly ADMIN_TOKEN: string | undefined };
try {
  gateway = gatewayAddress(process.env);
  tokens = parseEnv(exampleTokensSchema, process.env);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}
const { CUSTOMER_TOKEN, ADMIN_TOKEN } = tokens;
const WATCH_ONLY = process.argv.includes('--watch-only');

const WATCH_ORDER = `
  subscription WatchOrder($id: ID!) {
    orderStatusChanged(orderId: $id) {
      status
      previousStatus
      at
      order { status total { amount currency } items { quantity product { name } } rewardPoints }
    }
  }
`;

interface StatusUpdate {
  status: string;
  previousStatus: string | null;
  at: string;
  order: {
    status: string;
    total: { amount: number; currency: string };
    items: { quantity: number; product: { name: string } }[];
    rewardPoints: number | null;
  };
}

/** A query or mutation over plain HTTP, as any client sends it. */
async function graphql<T>(query: string, variables: Record<string, unknown>, token: string | undefined): Promise<T> {
  const response = await fetch(gateway.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  }).catch((error: unknown) => {
    const reason = unreachableReason(error);
    throw reason ? new Error(gatewayUnreachableMessage(gateway.graphql, reason)) : error;
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  return body.data as T;
}

const money = ({ amount, currency }: { amount: number; currency: string }) => `${(amount / 100).toFixed(2)} ${currency}`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  if (!CUSTOMER_TOKEN || (!ADMIN_TOKEN && !WATCH_ONLY)) {
    console.error(
      'Set CUSTOMER_TOKEN (and ADMIN_TOKEN, unless --watch-only), e.g.\n' +
        '  CUSTOMER_TOKEN=$(npm run -s token -- --sub customer-1) ADMIN_TOKEN=$(npm run -s token -- --sub admin-1 --admin) npx tsx examples/watch-order.ts',
    );
    process.exit(2);
  }

  // 1. Something in stock to order.
  const { products } = await graphql<{ products: { edges: { node: { id: string; name: string; inStock: boolean; price: { amount: number; currency: string } } }[] } }>(
    '{ products(first: 50) { edges { node { id name inStock price { amount currency } } } } }',
    {},
    undefined,
  );
  const product = products.edges.map((edge) => edge.node).find((node) => node.inStock);
  if (!product) throw new Error('no product in stock: `npm start` seeds demo products on its first run');

  // 2. Place the order as the customer.
  const { placeOrder } = await graphql<{ placeOrder: { id: string; status: string; total: { amount: number; currency: string } } }>(
    'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id status total { amount currency } } }',
    { input: { items: [{ productId: product.id, quantity: 2 }] } },
    CUSTOMER_TOKEN,
  );
  console.log(`placed order ${placeOrder.id}: 2 x ${product.name}, ${money(placeOrder.total)}, ${placeOrder.status}`);

  // 3. Subscribe to its status over graphql-ws; the token goes in connection_init.
  const client = createClient({
    url: gateway.websocket,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${CUSTOMER_TOKEN}` },
  });
  const finished = new Promise<void>((resolve, reject) => {
    client.subscribe<{ orderStatusChanged: StatusUpdate }>(
      { query: WATCH_ORDER, variables: { id: placeOrder.id } },
      {
        next: ({ data, errors }) => {
          if (errors?.length) {
            reject(new Error(errors.map((e) => `${String(e.extensions?.['code'] ?? 'ERROR')}: ${e.message}`).join('; ')));
            return;
          }
          const update = data!.orderStatusChanged;
          const items = update.order.items.map((item) => `${item.quantity} x ${item.product.name}`).join(', ');
          console.log(
            `${update.at}  ${update.previousStatus ?? '-'} -> ${update.status}   ` +
              `order: ${update.order.status}, ${money(update.order.total)}, ${items}, reward points: ${update.order.rewardPoints ?? 'not yet'}`,
          );
          if (update.status === 'COMPLETED' || update.status === 'CANCELLED') resolve();
        },
        error: (error) => {
          const reason = unreachableReason(error);
          reject(reason ? new Error(gatewayUnreachableMessage(gateway.websocket, reason)) : error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => resolve(),
      },
    );
  });

  if (WATCH_ONLY) {
    console.log('watching; change the status elsewhere (confirmOrder / completeOrder / cancelOrder), Ctrl-C to stop');
  } else {
    // 4. Move the order along as an admin; each change arrives above.
    await pause(500);
    for (const mutation of ['confirmOrder', 'completeOrder']) {
      await graphql(`mutation ($id: ID!) { ${mutation}(id: $id) { status } }`, { id: placeOrder.id }, ADMIN_TOKEN);
      await pause(1000);
    }
  }
  await finished;

  // 5. Rewards issues points asynchronously after completion; they show on the order once issued.
  if (!WATCH_ONLY) {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const { order } = await graphql<{ order: { rewardPoints: number | null } }>('query ($id: ID!) { order(id: $id) { rewardPoints } }', { id: placeOrder.id }, CUSTOMER_TOKEN);
      if (order.rewardPoints !== null) {
        console.log(`reward points issued for the order: ${order.rewardPoints}`);
        break;
      }
      await pause(250);
    }
  }
  await client.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
