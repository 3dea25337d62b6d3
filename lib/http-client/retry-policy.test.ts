import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent } from 'undici';
import { getOnlyRetry, retryDelayMs } from './retry-policy';

describe('retry backoff', () => {
  it('doubles per retry with equal jitter: between half the ceiling and the ceiling', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(retryDelayMs(1, { ...options, random: () => 0 })).toBe(50);
    expect(retryDelayMs(1, { ...options, random: () => 0.999999 })).toBeCloseTo(100, 3);
    expect(retryDelayMs(2, { ...options, random: () => 0 })).toBe(100);
    expect(retryDelayMs(3, { ...options, random: () => 0.5 })).toBe(300);
    expect(retryDelayMs(10, { ...options, random: () => 0 })).toBe(500);
  });

  it("follows the server's Retry-After, capped", () => {
    expect(retryDelayMs(1, { maxDelayMs: 1_000 }, 250)).toBe(250);
    expect(retryDelayMs(1, { maxDelayMs: 1_000 }, 30_000)).toBe(1_000);
  });
});

describe('GET-only retries against a real server', () => {
  let server: Server;
  let origin: string;
  const seen: string[] = [];
  let answer = 503;
  const client = new Agent().compose(getOnlyRetry({ baseDelayMs: 5, maxDelayMs: 20 }));

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = async (method: 'GET' | 'POST', path: string) => {
    seen.length = 0;
    try {
      const response = await client.request({ origin, path, method });
      await response.body.dump();
      return response.statusCode;
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };

  it.each([503, 500, 429])('tries a GET three times on %i and hands on the last answer', async (status) => {
    answer = status;
    expect(await send('GET', '/thing')).toBe(status);
    expect(seen).toEqual(['GET /thing', 'GET /thing', 'GET /thing']);
  });

  it('retries a GET whose connection is reset', async () => {
    expect(await send('GET', '/reset')).toBe('UND_ERR_SOCKET');
    expect(seen).toHaveLength(3);
  });

  it('never repeats a POST', async () => {
    answer = 503;
    expect(await send('POST', '/orders')).toBe(503);
    expect(seen).toEqual(['POST /orders']);
  });

  it.each([404, 400, 304])('does not retry a GET answered %i', async (status) => {
    answer = status;
    expect(await send('GET', '/thing')).toBe(status);
    expect(seen).toHaveLength(1);
  });
});
