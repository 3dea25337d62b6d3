import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';

/** Debian's Chromium (.ci/run installs it); playwright-core never downloads a browser of its own. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Headless, and quiet on the network: without the background-networking flags Chromium calls Google's services
 * at start, which a closed network refuses. Playwright's launch() gives every browser a fresh, empty
 * --user-data-dir of its own.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** With SCREENSHOT_DIR set (`SCREENSHOT_DIR=docs/images npx jest test/browser`), the page as the docs show it. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['SCREENSHOT_DIR'];
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** What a page did that a test should know about: script errors, console errors, requests. */
export interface PageLog {
  readonly errors: string[];
  readonly requests: Request[];
}

export function recordPage(page: Page): PageLog {
  const log: PageLog = { errors: [], requests: [] };
  page.on('pageerror', (error) => log.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') log.errors.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => log.requests.push(request));
  return log;
}

/** A shipping address as a shopper types it into the checkout form (labels of web/src/checkout/AddressFields.tsx). */
export interface TypedAddress {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly region?: string;
  readonly postalCode: string;
  /** The country's name as the select shows it in English, e.g. "Germany". */
  readonly country: string;
  readonly email: string;
}

export async function fillCheckout(page: Page, address: TypedAddress): Promise<void> {
  await page.getByLabel('Full name', { exact: true }).fill(address.name);
  await page.getByLabel('Street address', { exact: true }).fill(address.line1);
  await page.getByLabel('Apartment, suite, etc. (optional)', { exact: true }).fill(address.line2 ?? '');
  await page.getByLabel('City', { exact: true }).fill(address.city);
  await page.getByLabel('State, province or region (optional)', { exact: true }).fill(address.region ?? '');
  await page.getByLabel('Postal code', { exact: true }).fill(address.postalCode);
  await page.getByLabel('Country', { exact: true }).selectOption({ label: address.country });
  await page.getByLabel('Email', { exact: true }).fill(address.email);
}
