import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { waitFor } from '../../lib/events/testing/wait-for';
import type { RunningSystem } from '../../scripts/system';
import { seedDemoProducts } from '../../scripts/seed';
import { ensureWebBuild } from '../../scripts/web-build';
import { launchChromium, recordPage } from '../support/browser';
import { graphql } from '../support/graphql';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * GraphiQL at /graphiql works with no internet access: everything it loads comes from the gateway itself, it
 * runs the default query against the supergraph, and it runs a subscription over graphql-ws with the token of its
 * Headers tab. (A production gateway has no /graphiql: gateway/web tests.)
 */

let system: RunningSystem;
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuild();
  system = await startTestSystem('browser-graphiql');
  await seedDemoProducts(system.catalog.deps);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('GraphiQL', () => {
  it('loads only from the gateway and runs a query through the supergraph', async () => {
    const base = system.gateway.http.url;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const log = recordPage(page);
    // GraphiQL reads the schema (introspection) before it runs anything.
    const introspected = page.waitForResponse((response) => response.request().method() === 'POST' && (response.request().postData() ?? '').includes('IntrospectionQuery'));
    await page.goto(`${base}/graphiql`);
    expect((await introspected).status()).toBe(200);
    await waitFor('the query editor', async () => ((await page.locator('.graphiql-query-editor').textContent()) ?? '').replace(/\u00a0/g, ' ').includes('query Products($category: String)'), 30_000);
    await page.getByRole('button', { name: /Execute query/i }).click();
    await waitFor('the products in the response pane', async () => ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\u00a0/g, ' ').includes('"name": "Wireless Noise-Cancelling Headphones"'), 30_000);

    const origins = new Set(log.requests.map((request) => new URL(request.url()).origin));
    expect([...origins]).toEqual([base]);
    expect(log.errors).toEqual([]);
    await context.close();
  });

  it('runs a subscription over the WebSocket, authenticated with the token of the Headers tab', async () => {
    const base = system.gateway.http.url;
    const customer = await tokenFor('graphiql-customer');
    const admin = await tokenFor('graphiql-admin', { admin: true });
    const products = await graphql<{ products: { edges: { node: { id: string } }[] } }>(system.urls.gateway, '{ products(first: 1) { edges { node { id } } } }');
    const productId = products.data!.products.edges[0]!.node.id;
    const placed = await graphql<{ placeOrder: { id: string } }>(
      system.urls.gateway,
      'mutation($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 1 }] }) { id } }',
      { id: productId },
      { token: customer },
    );
    const orderId = placed.data!.placeOrder.id;

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // What a user would type into the operation editor and the Headers tab (GraphiQL keeps both in localStorage).
    const query = `subscription Watch { orderStatusChanged(orderId: "${orderId}") { status previousStatus } }`;
    const headers = JSON.stringify({ Authorization: `Bearer ${customer}` });
    await context.addInitScript(
      ([storedQuery, storedHeaders]) => {
        const storage = (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage;
        storage.setItem('graphiql:query', storedQuery);
        storage.setItem('graphiql:headers', storedHeaders);
      },
      [query, headers] as const,
    );
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const log = recordPage(page);
    const sent: string[] = [];
    page.on('websocket', (socket) => socket.on('framesent', (frame) => sent.push(String(frame.payload))));
    await page.goto(`${base}/graphiql`);
    await waitFor('the subscription in the editor', async () => ((await page.locator('.graphiql-query-editor').textContent()) ?? '').replace(/\u00a0/g, ' ').includes('subscription Watch'), 30_000);
    await page.getByRole('button', { name: /Execute query/i }).click();

    await waitFor('the subscription on the socket', () => sent.some((frame) => frame.includes('"type":"subscribe"') && frame.includes(orderId)), 30_000);
    const init = JSON.parse(sent.find((frame) => frame.includes('"type":"connection_init"'))!) as { payload: Record<string, string> };
    expect(init.payload['Authorization']).toBe(`Bearer ${customer}`);

    const confirmed = await graphql(system.urls.gateway, 'mutation($id: ID!) { confirmOrder(id: $id) { status } }', { id: orderId }, { token: admin });
    expect(confirmed.errors).toBeUndefined();
    await waitFor('the CONFIRMED update in the response pane', async () => ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\u00a0/g, ' ').includes('"status": "CONFIRMED"'), 30_000);
    expect(log.errors).toEqual([]);
    await context.close();
  });
});
