import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../lib/config';
import type { AnyEventEnvelope } from '../../lib/events';
import { waitForValue } from '../../lib/events/testing/wait-for';
import { createServiceRuntime } from '../../lib/runtime';
import type { RunningSystem } from '../../scripts/system';
import { startCatalog } from '../../subgraphs/catalog/service';
import { CREATE_PRODUCT, productInput, type ProductView } from '../support/catalog';
import { graphql } from '../support/graphql';
import { sampleSum } from '../support/metrics';
import { startTestSystem, testEnv, tokenFor } from '../support/system';

/** Correlation ids across gateway and subgraph, `GET /health` and Prometheus `GET /metrics` on every service. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let system: RunningSystem;
let gatewayBase: string;

beforeAll(async () => {
  system = await startTestSystem('catalog-observability');
  gatewayBase = system.gateway.http.url;
});
afterAll(() => system?.stop());

describe('correlation id', () => {
  const query = (url: string, headers: Record<string, string> = {}) => graphql(url, '{ products(first: 1) { edges { cursor } } }', {}, { headers });

  it('is echoed when the client sends one', async () => {
    expect((await query(system.urls.gateway, { 'x-correlation-id': 'client-req-42' })).headers.get('x-correlation-id')).toBe('client-req-42');
    expect((await query(`${system.urls.catalog}/graphql`, { 'x-correlation-id': 'client-req-43' })).headers.get('x-correlation-id')).toBe('client-req-43');
  });

  it('is generated when the client sends none or an unsafe one', async () => {
    const generated = (await query(system.urls.gateway)).headers.get('x-correlation-id');
    expect(generated).toMatch(UUID);
    expect((await query(system.urls.gateway)).headers.get('x-correlation-id')).not.toBe(generated);
    expect((await query(system.urls.gateway, { 'x-correlation-id': 'has spaces; and <script>' })).headers.get('x-correlation-id')).toMatch(UUID);
    expect((await query(system.urls.gateway, { 'x-correlation-id': 'x'.repeat(129) })).headers.get('x-correlation-id')).toMatch(UUID);
    expect((await fetch(`${gatewayBase}/health`)).headers.get('x-correlation-id')).toMatch(UUID);
  });

  it('is passed to the subgraph: the event the catalog publishes carries it', async () => {
    const published: AnyEventEnvelope[] = [];
    const observer = await system.bus.subscribe({
      group: 'observability-test',
      types: ['product.created'],
      handle: async (envelope) => void published.push(envelope),
    });
    try {
      const token = await tokenFor('admin-1', { admin: true });
      const created = await graphql<{ createProduct: ProductView }>(system.urls.gateway, CREATE_PRODUCT, { input: productInput(1) }, {
        token,
        headers: { 'x-correlation-id': 'trace-create-001' },
      });
      expect(created.errors).toBeUndefined();
      expect(created.headers.get('x-correlation-id')).toBe('trace-create-001');
      const id = created.data!.createProduct.id;
      // Events are published after the request's transaction commits, so the event may trail the response.
      const event = await waitForValue(`product.created for ${id}`, () => published.find((envelope) => envelope.type === 'product.created' && envelope.data.productId === id));
      expect(event.source).toBe('catalog');
      expect(event.correlationId).toBe('trace-create-001');
    } finally {
      await observer.close();
    }
  });
});

describe('GET /health', () => {
  it('reports the gateway and the catalog healthy, with the catalog checking its table', async () => {
    const gateway = await fetch(`${gatewayBase}/health`);
    expect(gateway.status).toBe(200);
    expect(await gateway.json()).toEqual({
      status: 'ok',
      service: 'gateway',
      checks: { supergraph: 'ok', 'subgraph:catalog': 'ok', 'subgraph:orders': 'ok', 'subgraph:rewards': 'ok', 'subgraph:payments': 'ok', 'subgraph:shipping': 'ok' },
    });
    const catalog = await fetch(`${system.urls.catalog}/health`);
    expect(catalog.status).toBe(200);
    expect(await catalog.json()).toEqual({ status: 'ok', service: 'catalog', checks: { dynamodb: 'ok' } });
  });

  it('reports 503 degraded when the catalog cannot reach its table', async () => {
    // A catalog whose table was never created: its DynamoDB check fails.
    const runtime = createServiceRuntime(loadConfig(testEnv('catalog-no-table')), 'catalog');
    const catalog = await startCatalog(runtime, 0);
    try {
      const response = await fetch(`${catalog.http.url}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'degraded', service: 'catalog', checks: { dynamodb: 'failing' } });
    } finally {
      await catalog.stop();
      runtime.dynamo.client.destroy();
    }
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text for each service, labelled with its own name', async () => {
    await graphql(system.urls.gateway, '{ products(first: 2) { edges { cursor } } }');
    const gateway = await fetch(`${gatewayBase}/metrics`);
    expect(gateway.status).toBe(200);
    expect(gateway.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const gatewayText = await gateway.text();
    expect(sampleSum(gatewayText, 'http_request_duration_seconds_count', { service: 'gateway', method: 'POST' })).toBeGreaterThan(0);
    expect(sampleSum(gatewayText, 'process_cpu_seconds_total', { service: 'gateway' })).toBeGreaterThan(0);
    expect(gatewayText).not.toContain('service="catalog"');

    const catalogText = await (await fetch(`${system.urls.catalog}/metrics`)).text();
    expect(sampleSum(catalogText, 'http_request_duration_seconds_count', { service: 'catalog', method: 'POST' })).toBeGreaterThan(0);
    expect(sampleSum(catalogText, 'dynamodb_requests_total', { service: 'catalog', operation: 'Query', outcome: 'ok' })).toBeGreaterThan(0);
    expect(catalogText).not.toContain('service="gateway"');
  });
});
