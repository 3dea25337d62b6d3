import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Registry } from 'prom-client';
import * as z from 'zod';
import { CatalogUnavailableError } from '../ddd';
import { createCacheStore, createHttpClient } from '../http-client';
import { InternalApiClient } from '../internal-api/client';
import { createLogger } from '../logging';
import { NodeSha256 } from './sha256';
import { signedFetch } from './signed-fetch';
import { createSigV4Signer } from './sigv4';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const region = 'eu-west-1';

interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * What Lambda's function URL authorizer does: recompute the signature from the request as received, with the
 * signer's own clock reading (X-Amz-Date), and compare. A request changed after signing does not verify.
 */
async function verifies(request: Received, host: string): Promise<boolean> {
  const amzDate = request.headers['x-amz-date'];
  const authorization = request.headers['authorization'];
  if (!amzDate || !authorization) return false;
  // The payload hash header is signed, and the body must hash to it.
  if (request.headers['x-amz-content-sha256'] !== createHash('sha256').update(request.body).digest('hex')) return false;
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = name === 'host' ? host : (request.headers[name] ?? '');
  const url = new URL(request.path, `http://${host}`);
  const expected = await new SignatureV4({ service: 'lambda', region, credentials, sha256: NodeSha256 }).sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ...(request.body ? { body: request.body } : {}),
    }),
    { signingDate: new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')) },
  );
  return expected.headers['authorization'] === authorization;
}

let server: Server;
let origin: string;
const received: Received[] = [];

async function read(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((body) => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers as Record<string, string>, body });
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'public, max-age=60');
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('SigV4 signing for IAM-authenticated function URLs', () => {
  const sign = createSigV4Signer({ region, credentials });

  it('signs a fetch (the gateway to subgraphs) so that it verifies, body included', async () => {
    received.length = 0;
    const fetchSigned = signedFetch(sign, (url: string, init?: RequestInit) => fetch(url, init));
    const body = JSON.stringify({ query: '{ __typename }' });
    const response = await fetchSigned(`${origin}/graphql?x=1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect((response as Response).status).toBe(200);
    expect(received).toHaveLength(1);
    const [request] = received as [Received];
    expect(request.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request/);
    expect(await verifies(request, new URL(origin).host)).toBe(true);
    expect(await verifies({ ...request, body: body.replace('__typename', '__schema') }, new URL(origin).host)).toBe(false);
  });

  it('signs each origin request of the caching client (Orders to Catalog) and none of its cache hits', async () => {
    received.length = 0;
    const cache = createCacheStore();
    const client = createHttpClient({
      client: 'signed-test',
      registry: new Registry(),
      cache,
      timeoutMs: 2000,
      breaker: { threshold: 5, halfOpenAfterMs: 1000 },
      sign,
    });
    try {
      for (let i = 0; i < 3; i += 1) {
        const response = await client.dispatcher.request({ origin, path: '/products/a', method: 'GET' });
        expect(response.statusCode).toBe(200);
        await response.body.text();
      }
      expect(received).toHaveLength(1);
      expect(await verifies(received[0] as Received, new URL(origin).host)).toBe(true);
    } finally {
      await client.close();
      await cache.close();
    }
  });

  it('signs each call of the internal API client (Orders to Catalog, Payments and Shipping) over its body and identity headers', async () => {
    received.length = 0;
    const client = new InternalApiClient({
      name: 'signed-internal-test',
      baseUrl: `${origin}/`,
      caller: 'orders',
      signingSecret: 'sigv4-test-signing-secret-0123456789abcdef',
      timeoutMs: 2000,
      breakerThreshold: 5,
      breakerHalfOpenAfterMs: 1000,
      sign,
      registry: new Registry(),
      logger: createLogger({ service: 'sigv4-test', level: 'silent' }),
      unavailable: (context) => new CatalogUnavailableError('the callee is unavailable', context),
    });
    const body = { orderId: 'o-1' };
    await expect(client.call('POST', '/internal/payments/capture', { body, schema: z.object({ ok: z.boolean() }) })).resolves.toEqual({ ok: true });
    expect(received).toHaveLength(1);
    const [request] = received as [Received];
    expect([request.path, request.body]).toEqual(['/internal/payments/capture', JSON.stringify(body)]);
    expect(/SignedHeaders=([^,]+)/.exec(request.headers['authorization'] ?? '')?.[1]?.split(';')).toEqual(expect.arrayContaining(['host', 'x-identity-signature']));
    expect(await verifies(request, new URL(origin).host)).toBe(true);
  });
});
