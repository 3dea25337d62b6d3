import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page, WebSocket } from 'playwright-core';
import { waitFor } from '../../lib/events/testing/wait-for';
import type { RunningSystem } from '../../scripts/system';
import { seedDemoProducts } from '../../scripts/seed';
import { ensureWebBuild } from '../../scripts/web-build';
import { MANIFEST_PATH } from '../../scripts/web-manifest';
import { fillCheckout, launchChromium, recordPage, screenshot, type PageLog, type TypedAddress } from '../support/browser';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * The storefront as shoppers and admins use it: the production build served by the real gateway over the real
 * subgraphs (DynamoDB Local, in-process events), driven in Debian's Chromium. A customer (demo sign-in) browses,
 * filters and pages, fills a cart, places an order and watches it; an admin (a pasted token), in a second browser
 * context, confirms and completes it; the customer's page follows over the WebSocket and shows the reward points,
 * without a reload.
 * SCREENSHOT_DIR=docs/images saves the screenshots the README shows.
 */

interface ManifestOperation {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly body: string;
}
const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as { operations: ManifestOperation[] };
const byName = new Map(manifest.operations.map((operation) => [operation.name, operation]));


/** Every graphql-ws message a page sent, parsed. */
function recordSocketMessages(page: Page): Record<string, unknown>[] {
  const sent: Record<string, unknown>[] = [];
  page.on('websocket', (socket: WebSocket) => {
    socket.on('framesent', (frame) => {
      if (typeof frame.payload === 'string') sent.push(JSON.parse(frame.payload) as Record<string, unknown>);
    });
  });
  return sent;
}

const ADDRESS: TypedAddress = { name: 'Shopper One', line1: '1 Market Street', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'United States', email: 'shopper-1@example.com' };

const statusOf = (page: Page) => page.locator('.order-status [data-status]').getAttribute('data-status');

let system: RunningSystem;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await ensureWebBuild();
  system = await startTestSystem('browser-storefront');
  await seedDemoProducts(system.catalog.deps);
  base = system.gateway.http.url;
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await system?.stop();
});

async function newPage(): Promise<{ page: Page; log: PageLog; socket: Record<string, unknown>[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { page, log: recordPage(page), socket: recordSocketMessages(page) };
}

describe('the storefront in a browser', () => {
  let customer: Awaited<ReturnType<typeof newPage>>;
  let admin: Awaited<ReturnType<typeof newPage>>;
  let orderId: string;

  beforeAll(async () => {
    customer = await newPage();
    admin = await newPage();
  });

  it('lists products, pages through them with cursors and filters them by category', async () => {
    const { page } = customer;
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'All products' }).waitFor();
    const products = page.getByRole('list', { name: 'Products' }).getByRole('listitem');
    await waitFor('the first page of 8 products', async () => (await products.count()) === 8);
    const firstPage = await products.getByRole('heading').allTextContents();
    await screenshot(page, 'products');

    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await waitFor('the second page', async () => (await products.getByRole('heading').first().textContent()) !== firstPage[0]);
    const secondPage = await products.getByRole('heading').allTextContents();
    expect(secondPage).toHaveLength(8);
    expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);

    await page.getByLabel('Category').selectOption('books');
    await page.getByRole('heading', { name: 'Products in books' }).waitFor();
    await waitFor('the books only', async () => {
      const categories = await products.locator('.category').allTextContents();
      return categories.length === 6 && categories.every((category) => category === 'books');
    });
    expect(new URL(page.url()).search).toBe('?category=books');
    await expect(page.getByText('Page 1').isVisible()).resolves.toBe(true);
  });

  it('shows an out-of-stock product as such', async () => {
    const { page } = customer;
    await page.getByLabel('Category').selectOption('home-kitchen');
    const scale = page.getByRole('listitem').filter({ hasText: 'Kitchen Scale' });
    await scale.getByText('Out of stock', { exact: true }).first().waitFor();
    await expect(scale.getByRole('button', { name: 'Add Kitchen Scale to cart' }).isDisabled()).resolves.toBe(true);
  });

  it('signs a demo customer in, fills the cart with two products and places the order', async () => {
    const { page } = customer;
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Customer id').fill('shopper-1');
    await page.getByRole('button', { name: 'Sign in as this customer' }).click();
    await page.getByText('Signed in as').waitFor();
    await expect(page.locator('.account strong').textContent()).resolves.toBe('shopper-1');

    await page.getByLabel('Category').selectOption('books');
    await page.getByRole('heading', { name: 'Products in books' }).waitFor();
    await page.getByRole('button', { name: 'Add Refactoring to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added 1 × Refactoring to your cart.' }).waitFor();
    await page.getByRole('button', { name: 'Add Domain-Driven Design to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added 1 × Domain-Driven Design to your cart.' }).waitFor();
    await page.getByRole('link', { name: 'Cart: 2 items' }).click();

    await page.getByRole('heading', { name: 'Your cart' }).waitFor();
    const quantity = page.getByLabel('Quantity of Refactoring');
    await quantity.fill('2');
    await quantity.press('Enter');
    await page.getByText('Total: $144.97').waitFor();
    await screenshot(page, 'cart');

    await page.getByRole('button', { name: 'Check out' }).click();
    await fillCheckout(page, ADDRESS);
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await page.waitForURL(/\/orders\/[^/]+$/);
    orderId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByRole('heading', { name: `Order ${orderId}` }).waitFor();
    await waitFor('the order to show PENDING', async () => (await statusOf(page)) === 'PENDING');
    await expect(page.getByRole('row', { name: /Refactoring/ }).textContent()).resolves.toContain('$89.98');
    await expect(page.getByRole('link', { name: 'Cart: 0 items' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.shipping-address').textContent()).resolves.toBe('Shopper One\n1 Market Street\n94105 San Francisco\nCA\nUnited States');
  });

  it('lets the customer correct the shipping address of the open order', async () => {
    const { page } = customer;
    await page.getByRole('button', { name: 'Change the shipping address' }).click();
    const form = page.getByRole('form', { name: 'Shipping address' });
    await expect(form.getByLabel('Street address', { exact: true }).inputValue()).resolves.toBe('1 Market Street');
    await form.getByLabel('Street address', { exact: true }).fill('500 Howard Street');
    await form.getByLabel('Apartment, suite, etc. (optional)', { exact: true }).fill('Suite 300');
    await form.getByLabel('Email', { exact: true }).fill('shopper-1@example.com');
    await form.getByRole('button', { name: 'Save the address' }).click();
    await page.locator('.shipping-address').filter({ hasText: '500 Howard Street' }).waitFor();
    await expect(page.locator('.shipping-address').textContent()).resolves.toBe('Shopper One\n500 Howard Street\nSuite 300\n94105 San Francisco\nCA\nUnited States');
    await expect(form.count()).resolves.toBe(0);
  });

  it("follows the admin's confirm and complete live, then shows the reward points, without a reload", async () => {
    const { page } = customer;
    // The order page subscribed over graphql-ws before anything changes.
    await waitFor('the subscription to the order', () =>
      customer.socket.some((message) => message['type'] === 'subscribe' && JSON.stringify(message['payload']).includes(orderId)),
    );
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    const { page: adminPage } = admin;
    // The admin signs in the other way: a token as `npm run -s token -- --sub admin-1 --admin` prints it, pasted.
    await adminPage.goto(`${base}/sign-in`);
    await adminPage.getByRole('textbox', { name: /^Token/ }).fill(`${await tokenFor('admin-1', { admin: true })}\n`);
    await adminPage.getByRole('button', { name: 'Sign in with this token' }).click();
    await adminPage.getByRole('heading', { name: 'All orders' }).waitFor();
    const row = adminPage.locator(`tr[data-order-id="${orderId}"]`);
    await waitFor('the order in the admin list, PENDING', async () => (await row.locator('[data-status]').getAttribute('data-status').catch(() => null)) === 'PENDING');
    await expect(row.locator('td').first().textContent()).resolves.toBe('shopper-1');

    await adminPage.getByRole('button', { name: `Confirm order ${orderId}` }).click();
    await waitFor('the admin list to show CONFIRMED', async () => (await row.locator('[data-status]').getAttribute('data-status')) === 'CONFIRMED');
    await waitFor("the customer's page to show CONFIRMED", async () => (await statusOf(page)) === 'CONFIRMED');
    // Confirmed by hand: the card form the page offered (its payment started on the first visit) is gone, and the
    // payment is not asked for any more (Payments cancels it: "the order was confirmed without this payment").
    await waitFor('the card form gone', async () => (await page.getByRole('heading', { name: 'Pay for your order' }).count()) === 0);
    await expect(page.locator('.payment').textContent()).resolves.toMatch(
      /^(Not needed any more: nothing was charged|Cancelled, nothing was charged: the order was confirmed without this payment)$/,
    );

    await adminPage.getByRole('button', { name: `Complete order ${orderId}` }).click();
    await waitFor('the admin list to show COMPLETED', async () => (await row.locator('[data-status]').getAttribute('data-status')) === 'COMPLETED');
    await screenshot(adminPage, 'admin-orders');
    await waitFor("the customer's page to show COMPLETED", async () => (await statusOf(page)) === 'COMPLETED');
    // $144.97 at BRONZE: floor(144) x 1 (docs/architecture.md §2), issued asynchronously by Rewards.
    await page.locator('.reward-points').filter({ hasText: '144 points earned' }).waitFor();
    await expect(page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    await screenshot(page, 'order');
  });

  it('says in words when an order asks for more than is in stock, or more than an order line may hold', async () => {
    const { page } = customer;
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByLabel('Category').selectOption('home-kitchen');
    await page.getByRole('link', { name: 'Burr Coffee Grinder' }).click();
    await page.getByRole('heading', { name: 'Burr Coffee Grinder' }).waitFor();
    await page.getByText('18 in stock').waitFor();

    await page.getByLabel('Quantity').fill('1001');
    await page.getByRole('button', { name: 'Add Burr Coffee Grinder to cart' }).click();
    await page.getByRole('alert').filter({ hasText: 'A quantity must be a whole number from 1 to 1000; got 1001.' }).waitFor();

    await page.getByLabel('Quantity').fill('19');
    await page.getByRole('button', { name: 'Add Burr Coffee Grinder to cart' }).click();
    await page.getByRole('link', { name: 'Cart: 19 items' }).click();
    await page.getByRole('button', { name: 'Check out' }).click();
    await fillCheckout(page, ADDRESS);
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Your order was not placed.' });
    await alert.waitFor();
    await expect(alert.locator('[data-code]').getAttribute('data-code')).resolves.toBe('PRODUCT_UNAVAILABLE');
    await expect(alert.textContent()).resolves.toContain('Not enough stock: a product in your cart is sold out or has fewer units left than you asked for.');
    await screenshot(page, 'cart-error');
    // Nothing was ordered: the cart keeps its line for the shopper to change.
    await expect(page.getByRole('link', { name: 'Cart: 19 items' }).isVisible()).resolves.toBe(true);
  });

  it('shows the reward balance and tier, and redeems points, refusing more than the balance in words', async () => {
    const { page } = customer;
    await page.getByRole('link', { name: 'Rewards' }).click();
    await page.getByTestId('reward-balance').filter({ hasText: '144 points' }).waitFor();
    await expect(page.getByText('Bronze (1 point per whole currency unit spent)').isVisible()).resolves.toBe(true);

    await page.getByLabel('Points to redeem').fill('500');
    await page.getByRole('button', { name: 'Redeem' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'No points were redeemed.' });
    await refused.waitFor();
    await expect(refused.locator('[data-code]').getAttribute('data-code')).resolves.toBe('INSUFFICIENT_POINTS');
    await expect(refused.textContent()).resolves.toContain('You do not have enough reward points for that.');

    await page.getByLabel('Points to redeem').fill('44');
    await page.getByRole('button', { name: 'Redeem' }).click();
    await page.getByRole('status').filter({ hasText: 'Redeemed 44 points. Your balance is now 100 points.' }).waitFor();
    await page.getByTestId('reward-balance').filter({ hasText: '100 points' }).waitFor();
    await screenshot(page, 'rewards');
  });

  it('sent every operation by its manifest id, and any text it sent is exactly the manifest body', async () => {
    const posts = [...customer.log.requests, ...admin.log.requests].filter((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/graphql');
    expect(posts.length).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (const request of posts) {
      const body = JSON.parse(request.postData() ?? '{}') as { operationName?: string; query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } };
      const operation = byName.get(body.operationName ?? '');
      expect(operation).toBeDefined();
      expect(body.extensions?.persistedQuery?.sha256Hash).toBe(operation!.id);
      if (body.query !== undefined) expect(body.query).toBe(operation!.body);
      seen.add(operation!.name);
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['AdminOrders', 'Categories', 'CompleteOrder', 'ConfirmOrder', 'MyRewards', 'Order', 'PlaceOrder', 'Products', 'RedeemPoints', 'SetShippingAddress']),
    );
    const subscribe = customer.socket.find((message) => message['type'] === 'subscribe');
    const payload = subscribe?.['payload'] as { query: string; operationName: string; extensions: { persistedQuery: { sha256Hash: string } } };
    expect(payload.operationName).toBe('OrderStatusChanged');
    expect(payload.query).toBe(byName.get('OrderStatusChanged')!.body);
    expect(payload.extensions.persistedQuery.sha256Hash).toBe(byName.get('OrderStatusChanged')!.id);
  });

  it('ran without script errors or policy violations', () => {
    expect([...customer.log.errors, ...admin.log.errors]).toEqual([]);
  });
});
