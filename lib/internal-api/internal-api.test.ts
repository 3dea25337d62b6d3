import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { Registry } from 'prom-client';
import * as z from 'zod';
import { internalCommandKey, serviceIdentity, signRequest } from '../auth';
import { CatalogUnavailableError, ConflictError, LimitExceededError, NotFoundError, PaymentFailedError, ValidationError } from '../ddd';
import { listen, type RunningServer } from '../http';
import { createLogger } from '../logging';
import { InternalApiClient, type InternalClientOptions } from './client';
import { mountInternalApi } from './express';
import { createInternalRouter } from './router';

/**
 * The internal API piece end to end over real HTTP: the router (who may call which route), the express adapter
 * (raw body, signature over it) and the client (signing, deadline, breaker, refusals back as typed errors).
 */

const SECRET = 'internal-api-test-secret-0123456789abcdef';
const logger = createLogger({ service: 'internal-api-test', level: 'silent' });
let server: RunningServer;
let slowRelease: (() => void) | undefined;
let flaky = 0;

beforeAll(async () => {
  const app = express();
  mountInternalApi(
    app,
    createInternalRouter({
      service: 'test',
      signingSecret: SECRET,
      windowSeconds: 5,
      logger,
      routes: [
        { method: 'GET', path: '/internal/orders/:id', callers: ['payments', 'shipping'], handle: async ({ params, caller }) => ({ id: params['id'], caller }) },
        {
          method: 'POST',
          path: '/internal/refusals/:code',
          callers: ['orders'],
          handle: async ({ params }) => {
            if (params['code'] === 'LIMIT_EXCEEDED') throw new LimitExceededError('too many', { limit: 'X', max: 5, value: 6 });
            if (params['code'] === 'PAYMENT_FAILED') throw new PaymentFailedError('Your card was declined.');
            if (params['code'] === 'BAD_USER_INPUT') throw new ValidationError('orderId', 'orderId is required');
            if (params['code'] === 'CONFLICT') throw new ConflictError('busy');
            throw new Error('an unexpected bug with internals: /work/secret');
          },
        },
        { method: 'POST', path: '/internal/echo', callers: ['orders'], handle: async ({ body }) => body },
        { method: 'GET', path: '/internal/off-contract', callers: ['orders'], handle: async () => ({ unexpected: true }) },
        {
          method: 'GET',
          path: '/internal/slow',
          callers: ['orders'],
          handle: () => new Promise((resolve) => (slowRelease = () => resolve({ ok: true }))),
        },
        {
          method: 'GET',
          path: '/internal/flaky',
          callers: ['orders'],
          handle: async () => {
            flaky += 1;
            throw new Error('down');
          },
        },
      ],
    }),
  );
  server = await listen(app, 0);
});
afterAll(async () => {
  slowRelease?.();
  await server?.close();
});

const unavailable: InternalClientOptions['unavailable'] = (context, cause) => new CatalogUnavailableError('the callee is unavailable', context, cause === undefined ? undefined : { cause });

function client(caller: InternalClientOptions['caller'], overrides: Partial<InternalClientOptions> = {}): InternalApiClient {
  return new InternalApiClient({
    name: `test-${caller}`,
    baseUrl: server.url,
    caller,
    signingSecret: SECRET,
    timeoutMs: 2_000,
    breakerThreshold: 100,
    breakerHalfOpenAfterMs: 60_000,
    registry: new Registry(),
    logger,
    unavailable,
    ...overrides,
  });
}

async function raw(path: string, headers: Record<string, string>, method = 'GET', body?: string) {
  const response = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: response.status, json: (await response.json()) as { error?: { code: string; message: string } } };
}

describe('the router', () => {
  it('answers a caller the route names, telling the handler who called', async () => {
    const payments = client('payments');
    await expect(payments.call('GET', '/internal/orders/o-1', { schema: z.object({ id: z.string(), caller: z.string() }) })).resolves.toEqual({ id: 'o-1', caller: 'payments' });
    await payments.close();
  });

  it.each([
    ['no identity', () => ({}), 401, 'UNAUTHENTICATED'],
    ['a service identity signed with the gateway secret itself', () => signRequest({ caller: serviceIdentity('payments'), method: 'GET', path: '/internal/orders/o-1' }, SECRET), 401, 'UNAUTHENTICATED'],
    ['a customer signed with the internal key', () => signRequest({ caller: { sub: 'customer-1', roles: [] }, method: 'GET', path: '/internal/orders/o-1' }, internalCommandKey(SECRET)), 403, 'FORBIDDEN'],
    ['a service the route does not name', () => signRequest({ caller: serviceIdentity('notifications'), method: 'GET', path: '/internal/orders/o-1' }, internalCommandKey(SECRET)), 403, 'FORBIDDEN'],
    ['a signature for another path', () => signRequest({ caller: serviceIdentity('payments'), method: 'GET', path: '/internal/orders/o-2' }, internalCommandKey(SECRET)), 401, 'UNAUTHENTICATED'],
  ] as const)('refuses %s', async (_label, headers, status, code) => {
    const answer = await raw('/internal/orders/o-1', headers());
    expect([answer.status, answer.json.error?.code]).toEqual([status, code]);
  });

  it('says nothing about routes to an unsigned caller, and 404 to a signed one', async () => {
    expect((await raw('/internal/nowhere', {})).status).toBe(401);
    const signed = signRequest({ caller: serviceIdentity('orders'), method: 'GET', path: '/internal/nowhere' }, internalCommandKey(SECRET));
    expect(await raw('/internal/nowhere', signed)).toEqual({ status: 404, json: { error: { code: 'NOT_FOUND', message: 'no internal route GET /internal/nowhere' } } });
  });

  it('refuses a body that is not JSON with 400 and a bad escape in a parameter with BAD_USER_INPUT', async () => {
    const body = '{"broken": ';
    const signed = signRequest({ caller: serviceIdentity('orders'), method: 'POST', path: '/internal/echo', body }, internalCommandKey(SECRET));
    expect((await raw('/internal/echo', { ...signed, 'content-type': 'application/json' }, 'POST', body)).status).toBe(400);
    const escaped = signRequest({ caller: serviceIdentity('payments'), method: 'GET', path: '/internal/orders/%E0%A4%A' }, internalCommandKey(SECRET));
    const answer = await raw('/internal/orders/%E0%A4%A', escaped);
    expect([answer.status, answer.json.error?.code]).toEqual([400, 'BAD_USER_INPUT']);
  });
});

describe('the client', () => {
  const orders = () => client('orders');

  it('sends a JSON body signed over its exact bytes', async () => {
    const c = orders();
    await expect(c.call('POST', '/internal/echo', { body: { orderId: 'o-1', note: 'é' }, schema: z.object({ orderId: z.string(), note: z.string() }) })).resolves.toEqual({ orderId: 'o-1', note: 'é' });
    await c.close();
  });

  it.each([
    ['LIMIT_EXCEEDED', LimitExceededError, { limit: 'X', max: 5, value: 6 }],
    ['PAYMENT_FAILED', PaymentFailedError, undefined],
    ['BAD_USER_INPUT', ValidationError, { field: 'orderId' }],
    ['CONFLICT', ConflictError, undefined],
  ] as const)('turns a %s refusal back into its typed error', async (code, type, details) => {
    const c = orders();
    const error = await c.call('POST', `/internal/refusals/${code}`, { schema: z.unknown() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    expect((error as { code: string }).code).toBe(code);
    if (details) expect((error as { details: unknown }).details).toEqual(details);
    await c.close();
  });

  it('reports a callee bug, an answer outside the contract and a refused identity as unavailable, without the callee’s internals', async () => {
    const c = orders();
    const bug = await c.call('POST', '/internal/refusals/BUG', { schema: z.unknown(), context: { orderId: 'o-1' } }).catch((caught: unknown) => caught);
    expect(bug).toBeInstanceOf(CatalogUnavailableError);
    expect((bug as CatalogUnavailableError).details).toEqual({ orderId: 'o-1' });
    expect(JSON.stringify(bug)).not.toContain('/work/secret');
    await expect(c.call('GET', '/internal/off-contract', { schema: z.object({ id: z.string() }) })).rejects.toBeInstanceOf(CatalogUnavailableError);
    const notifications = client('notifications');
    await expect(notifications.call('GET', '/internal/orders/o-1', { schema: z.unknown() })).rejects.toBeInstanceOf(CatalogUnavailableError);
    await Promise.all([c.close(), notifications.close()]);
  });

  it('passes NOT_FOUND through for the caller to decide', async () => {
    const c = orders();
    await expect(c.call('GET', '/internal/nowhere', { schema: z.unknown() })).rejects.toBeInstanceOf(NotFoundError);
    await c.close();
  });

  it('gives up at its deadline', async () => {
    const c = client('orders', { timeoutMs: 300 });
    const started = Date.now();
    await expect(c.call('GET', '/internal/slow', { schema: z.unknown() })).rejects.toBeInstanceOf(CatalogUnavailableError);
    expect(Date.now() - started).toBeLessThan(2_000);
    slowRelease?.();
    await c.close();
  });

  it('stops calling a failing callee once its breaker opens', async () => {
    const c = client('orders', { breakerThreshold: 3 });
    for (let i = 0; i < 3; i += 1) await expect(c.call('GET', '/internal/flaky', { schema: z.unknown() })).rejects.toBeInstanceOf(CatalogUnavailableError);
    const calls = flaky;
    expect(calls).toBe(3);
    await expect(c.call('GET', '/internal/flaky', { schema: z.unknown() })).rejects.toBeInstanceOf(CatalogUnavailableError);
    expect(flaky).toBe(calls);
    await c.close();
  });
});
