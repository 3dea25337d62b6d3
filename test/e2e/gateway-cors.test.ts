import { afterAll, describe, expect, it } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import { startTestSystem } from '../support/system';

/** CORS of the gateway's /graphql as a browser sees it: the preflight and the actual request. */

const systems: RunningSystem[] = [];
afterAll(async () => {
  for (const system of systems) await system.stop();
});

async function gatewayWith(env: Record<string, string>): Promise<string> {
  const system = await startTestSystem('cors', { env });
  systems.push(system);
  return system.urls.gateway;
}

const preflight = (url: string, origin: string) =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
const post = (url: string, origin: string) =>
  fetch(url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });

describe('CORS_ORIGINS', () => {
  it('lets the listed origins call the gateway from a browser, and no other', async () => {
    const url = await gatewayWith({ CORS_ORIGINS: 'https://shop.example.com,http://localhost:5173' });
    const allowed = await preflight(url, 'https://shop.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type,authorization');
    expect(allowed.headers.get('vary')).toContain('Origin');
    expect((await post(url, 'http://localhost:5173')).headers.get('access-control-allow-origin')).toBe('http://localhost:5173');

    const refused = await preflight(url, 'https://evil.example.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(url, 'https://evil.example.net')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows any origin by default in development and test', async () => {
    const url = await gatewayWith({});
    expect((await preflight(url, 'https://anywhere.example.org')).headers.get('access-control-allow-origin')).toBe('*');
  });

  it('sends no CORS headers by default outside development (same-origin pages only)', async () => {
    const url = await gatewayWith({ NODE_ENV: 'staging' });
    const response = await preflight(url, 'https://shop.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(url, 'https://shop.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
