import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { waitFor } from '../../lib/events/testing/wait-for';
import type { RunningSystem } from '../../scripts/system';
import { seedDemoProducts } from '../../scripts/seed';
import { ensureWebBuild } from '../../scripts/web-build';
import { launchChromium, recordPage } from '../support/browser';
import { startTestSystem } from '../support/system';

/**
 * GraphiQL at /graphiql works with no internet access: everything it loads comes from the gateway itself, and it
 * runs the default query against the supergraph. (A production gateway has no /graphiql: gateway/web tests.)
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
});
