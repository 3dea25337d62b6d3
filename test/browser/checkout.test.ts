// The functions given to page.evaluate run in the page: they are typed against the DOM.
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitFor } from '../../lib/events/testing/wait-for';
import { seedDemoProducts } from '../../scripts/seed';
import { ensureWebBuild } from '../../scripts/web-build';
import { MANIFEST_PATH } from '../../scripts/web-manifest';
import { readFileSync } from 'node:fs';
import { fillCheckout, launchChromium, recordPage, screenshot, type PageLog } from '../support/browser';
import { emulatorStripe } from '../support/checkout';
import { startTestSystem, tokenFor, type TestSystem } from '../support/system';

/**
 * The checkout in Debian's Chromium, on the production build served by the real gateway, the real subgraphs and the
 * Stripe emulator (its webhooks confirm orders, as Stripe's do): a shopper gives a shipping address and email,
 * places the order, sees when it must be paid by, is declined with one test card and pays with another; the order
 * page turns CONFIRMED over the WebSocket without a reload. An admin, in a second browser context, ships the order
 * (a tracking number the carrier's check digit refuses first) and marks it delivered; the customer's page follows
 * to SHIPPED with the carrier's tracking link, then to COMPLETED, without a reload. The gateway runs the storefront's manifest as its trusted
 * documents, so every operation the checkout sends must be in it.
 */

const TIME_ZONE = 'Asia/Tokyo';
const SHOPPER = 'checkout-shopper';

let system: TestSystem;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await ensureWebBuild();
  system = await startTestSystem('browser-checkout', { env: { TRUSTED_DOCUMENTS: MANIFEST_PATH } });
  await seedDemoProducts(system.catalog.deps);
  base = system.gateway.http.url;
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await system?.stop();
});

async function newPage(): Promise<{ page: Page; log: PageLog }> {
  // A time zone far from the machine's: "pay by" must be the viewer's local time.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: TIME_ZONE, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { page, log: recordPage(page) };
}

const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as { operations: { id: string; name: string }[] };

interface OrderRead {
  readonly status: string;
  readonly placedAt: string;
  readonly paymentDueAt: string | null;
  readonly payment: { readonly status: string; readonly amount: { amount: number; currency: string }; readonly clientSecret: string | null } | null;
}

/** The order as the storefront reads it: its `Order` operation by manifest id (the only way this gateway runs it). */
async function readOrder(id: string): Promise<OrderRead> {
  const operation = manifest.operations.find((candidate) => candidate.name === 'Order')!;
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(SHOPPER)}` },
    body: JSON.stringify({ operationName: 'Order', variables: { id }, extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } } }),
  });
  const body = (await response.json()) as { data?: { order: OrderRead }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!.order;
}

/** The PaymentIntents the page confirmed at the emulator, from the URLs of its confirm requests. */
const confirmedIntents = (log: PageLog) =>
  log.requests.map((request) => /\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(new URL(request.url()).pathname)?.[1]).filter((id): id is string => id !== undefined);

const statusOf = (page: Page) => page.locator('.order-status [data-status]').getAttribute('data-status');
const paymentStatusOf = (page: Page) => page.locator('.payment [data-payment-status]').getAttribute('data-payment-status').catch(() => null);

describe('the checkout in a browser', () => {
  let customer: Awaited<ReturnType<typeof newPage>>;
  let admin: Awaited<ReturnType<typeof newPage>>;
  let orderId: string;

  beforeAll(async () => {
    customer = await newPage();
    admin = await newPage();
  });

  it('asks for the shipping address and email before placing the order, field by field', async () => {
    const { page } = customer;
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Customer id').fill(SHOPPER);
    await page.getByRole('button', { name: 'Sign in as this customer' }).click();
    await page.getByText('Signed in as').waitFor();
    await page.getByLabel('Category').selectOption('books');
    await page.getByRole('button', { name: 'Add Refactoring to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added 1 × Refactoring to your cart.' }).waitFor();
    await page.getByRole('link', { name: 'Cart: 1 item' }).click();
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    await page.getByText('1 item, $44.99').waitFor();

    // Nothing typed: every required field says what it needs, and nothing is placed.
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await page.getByRole('alert').filter({ hasText: 'Check the 6 fields marked above.' }).waitFor();
    await expect(page.getByLabel('Full name').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#checkout-email-error').textContent()).resolves.toBe('Enter your email address: it is where your receipt and tracking link go.');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('checkout-name');

    // A postal code of another country is refused in the browser, naming the country.
    await fillCheckout(page, { name: 'Grace Hopper', line1: 'Unter den Linden 77', city: 'Berlin', postalCode: '1234', country: 'Germany', email: 'grace@example.com' });
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await page.getByRole('alert').filter({ hasText: 'Check the field marked above.' }).waitFor();
    await expect(page.locator('#checkout-postalCode-error').textContent()).resolves.toBe('1234 is not a postal code of the country chosen (DE).');
    expect(page.url()).toBe(`${base}/checkout`);

    await screenshot(page, 'checkout');
    await page.getByLabel('Postal code').fill('10117');
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await page.waitForURL(/\/orders\/[^/]+$/);
    orderId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByRole('heading', { name: `Order ${orderId}` }).waitFor();
    await waitFor('the order to show PENDING', async () => (await statusOf(page)) === 'PENDING');
    await expect(page.getByRole('link', { name: 'Cart: 0 items' }).isVisible()).resolves.toBe(true);
  });

  it('shows when the order must be paid by, in the viewer’s local time, and the test cards by name', async () => {
    const { page } = customer;
    const order = await readOrder(orderId);
    expect(order.paymentDueAt).not.toBeNull();
    // The payment deadline (PAYMENT_TIMEOUT_SECONDS, 900 by default) as HH:MM in Asia/Tokyo, on a 24-hour clock.
    expect(Date.parse(order.paymentDueAt!) - Date.parse(order.placedAt)).toBe(900_000);
    const local = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE }).format(new Date(order.paymentDueAt!));
    const payBy = page.locator('.pay-by');
    await payBy.waitFor();
    await expect(payBy.textContent()).resolves.toBe(`Pay by ${local}: unpaid orders are cancelled then and their items released.`);
    await expect(payBy.locator('time').getAttribute('datetime')).resolves.toBe(order.paymentDueAt);

    const form = page.getByRole('form', { name: 'Pay with a test card' });
    await form.waitFor();
    await expect(form.getByRole('radio').evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value))).resolves.toEqual([
      'pm_card_visa',
      'pm_card_chargeDeclined',
      'pm_card_chargeDeclinedInsufficientFunds',
    ]);
    await expect(form.getByRole('radio', { name: /^Visa/ }).isChecked()).resolves.toBe(true);
    await form.getByRole('radio', { name: /^Insufficient funds/ }).waitFor();
    await expect(page.getByRole('button', { name: 'Pay $44.99' }).isEnabled()).resolves.toBe(true);
  });

  it('says a declined card was declined, in Stripe’s words, and the payment shows Declined live', async () => {
    const { page } = customer;
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await page.getByRole('radio', { name: /^Declined/ }).check();
    await page.getByRole('button', { name: 'Pay $44.99' }).click();
    const declined = page.getByRole('alert').filter({ hasText: 'Your card was not charged.' });
    await declined.waitFor();
    await expect(declined.textContent()).resolves.toBe('Your card was not charged.Your card was declined.Try again with another card.');
    await expect(declined.getAttribute('data-decline-code')).resolves.toBe('generic_decline');
    await waitFor('the payment to show FAILED', async () => (await paymentStatusOf(page)) === 'FAILED');
    await expect(page.locator('.payment').textContent()).resolves.toBe('Declined: Your card was declined.');
    expect(await statusOf(page)).toBe('PENDING');

    await page.getByRole('radio', { name: /^Insufficient funds/ }).check();
    await page.getByRole('button', { name: 'Pay $44.99' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your card has insufficient funds.' }).waitFor();
    await screenshot(page, 'payment-declined');
  });

  it('retries with Visa on the same payment, and the order turns CONFIRMED without a reload', async () => {
    const { page } = customer;
    await page.getByRole('radio', { name: /^Visa/ }).check();
    await page.getByRole('button', { name: 'Pay $44.99' }).click();
    await waitFor("the customer's page to show CONFIRMED", async () => (await statusOf(page)) === 'CONFIRMED');
    await waitFor('the payment to show AUTHORIZED', async () => (await paymentStatusOf(page)) === 'AUTHORIZED');
    await expect(page.locator('.payment').textContent()).resolves.toBe('Authorized: your card is charged when the order ships');
    await expect(page.getByRole('heading', { name: 'Pay for your order' }).count()).resolves.toBe(0);
    await expect(page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);

    // One PaymentIntent for the order, through all three attempts, authorized for the order's total.
    const order = await readOrder(orderId);
    expect(order).toMatchObject({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED', amount: { amount: 4499, currency: 'USD' }, clientSecret: null } });
    const intents = confirmedIntents(customer.log);
    expect(intents).toHaveLength(3);
    expect(new Set(intents).size).toBe(1);
    const intent = await emulatorStripe(system).paymentIntents.retrieve(intents[0]!);
    expect({ status: intent.status, amount: intent.amount, amountCapturable: intent.amount_capturable }).toEqual({ status: 'requires_capture', amount: 4499, amountCapturable: 4499 });
  });

  it('shows the shipping address as given, the admin ships it, and the customer’s page shows SHIPPED and the tracking link live', async () => {
    const { page } = customer;
    await expect(page.locator('.shipping-address').textContent()).resolves.toBe('Grace Hopper\nUnter den Linden 77\n10117 Berlin\nGermany');
    await page.locator('[data-shipment-status="READY"]').waitFor();

    const { page: adminPage } = admin;
    await adminPage.goto(`${base}/sign-in`);
    await adminPage.getByRole('textbox', { name: /^Token/ }).fill(`${await tokenFor('admin-1', { admin: true })}\n`);
    await adminPage.getByRole('button', { name: 'Sign in with this token' }).click();
    await adminPage.getByRole('heading', { name: 'All orders' }).waitFor();
    const row = adminPage.locator(`tr[data-order-id="${orderId}"]`);
    await waitFor('the order in the admin list, CONFIRMED', async () => (await row.locator('[data-status]').getAttribute('data-status').catch(() => null)) === 'CONFIRMED');
    await adminPage.getByRole('button', { name: `Ship order ${orderId}` }).click();
    const form = adminPage.getByRole('form', { name: `Ship order ${orderId}` });
    await form.getByLabel('Carrier').fill('UPS');
    // A number UPS's check digit refuses is said in words, and nothing ships.
    await form.getByLabel('Tracking number').fill('1Z999AA10123456785');
    await form.getByRole('button', { name: 'Ship' }).click();
    const refused = adminPage.getByRole('alert').filter({ hasText: 'The order did not change.' });
    await refused.waitFor();
    await expect(refused.locator('[data-code]').getAttribute('data-code')).resolves.toBe('BAD_USER_INPUT');
    await expect(refused.textContent()).resolves.toContain('trackingNumber "1Z999AA10123456785" is not a UPS tracking number');
    expect(await statusOf(page)).toBe('CONFIRMED');

    await form.getByLabel('Tracking number').fill('1Z999AA10123456784');
    await screenshot(adminPage, 'admin-ship');
    await form.getByRole('button', { name: 'Ship' }).click();
    await adminPage.getByRole('status').filter({ hasText: `Order ${orderId} shipped.` }).waitFor();
    await waitFor('the admin list to show SHIPPED', async () => (await row.locator('[data-status]').getAttribute('data-status')) === 'SHIPPED');

    await waitFor("the customer's page to show SHIPPED", async () => (await statusOf(page)) === 'SHIPPED');
    await page.locator('[data-shipment-status="SHIPPED"]').waitFor();
    await expect(page.locator('.carrier').textContent()).resolves.toBe('UPS');
    const tracking = page.getByRole('link', { name: 'Track 1Z999AA10123456784 with UPS' });
    await tracking.waitFor();
    await expect(tracking.getAttribute('href')).resolves.toBe('https://www.ups.com/track?tracknum=1Z999AA10123456784');
    await expect(tracking.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    // The shipment captured the authorization.
    await waitFor('the payment to show CAPTURED', async () => (await paymentStatusOf(page)) === 'CAPTURED');
    await screenshot(page, 'order-shipped');
    await expect(page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
  });

  it('lists the order as Shipped in My orders, then follows the delivery to COMPLETED', async () => {
    const { page } = customer;
    await page.getByRole('link', { name: 'My orders' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: orderId }) });
    await row.locator('[data-status="SHIPPED"]').waitFor();
    await expect(row.locator('[data-status]').textContent()).resolves.toBe('Shipped');
    await row.getByRole('link', { name: orderId }).click();
    await page.getByRole('heading', { name: `Order ${orderId}` }).waitFor();

    const { page: adminPage } = admin;
    await adminPage.getByRole('button', { name: `Mark order ${orderId} delivered` }).click();
    await adminPage.getByRole('status').filter({ hasText: `Order ${orderId} delivered and completed.` }).waitFor();
    await waitFor("the customer's page to show COMPLETED", async () => (await statusOf(page)) === 'COMPLETED');
    await page.locator('[data-shipment-status="DELIVERED"]').waitFor();
    // $44.99 at BRONZE: 44 points, issued by Rewards after completion.
    await page.locator('.reward-points').filter({ hasText: '44 points earned' }).waitFor();
  });

  it('sent the checkout’s operations by their manifest ids to a gateway that runs nothing else', () => {
    const operations = customer.log.requests
      .filter((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/graphql')
      .map((request) => JSON.parse(request.postData() ?? '{}') as { operationName?: string; query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } });
    for (const operation of operations) {
      expect([operation.operationName, operation.query, operation.extensions?.persistedQuery?.sha256Hash]).toEqual([operation.operationName, undefined, expect.stringMatching(/^[0-9a-f]{64}$/)]);
    }
    // OrderRewardPoints only when the points were not there yet as the order completed (Rewards issues them asynchronously).
    const sent = [...new Set(operations.map((operation) => operation.operationName))].filter((name) => name !== 'OrderRewardPoints').sort();
    expect(sent).toEqual(['Categories', 'MyOrders', 'Order', 'OrderProgress', 'PlaceOrder', 'Products', 'StartPayment']);
    const adminOperations = admin.log.requests.filter((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/graphql').map((request) => (JSON.parse(request.postData() ?? '{}') as { operationName?: string }).operationName);
    expect([...new Set(adminOperations)].sort()).toEqual(['AdminOrders', 'MarkOrderDelivered', 'ShipOrder']);
  });

  it('ran without script errors or policy violations: the console shows only the two declines (HTTP 402, Stripe’s answer)', () => {
    expect(customer.log.errors).toEqual(Array(2).fill('console: Failed to load resource: the server responded with a status of 402 (Payment Required)'));
    expect(admin.log.errors).toEqual([]);
  });
});
