import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '../process';
import { gatewayAddress, gatewayUnreachableMessage, unreachableReason, webDevPort } from './client-config';
import { ConfigError } from './env';

const problems = (source: Record<string, string>) => {
  try {
    gatewayAddress(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('accepted');
};

describe('GATEWAY_URL: where clients reach the gateway', () => {
  it('follows GATEWAY_PORT on this machine when unset', () => {
    expect(gatewayAddress({})).toEqual({ url: 'http://localhost:4000', graphql: 'http://localhost:4000/graphql', websocket: 'ws://localhost:4000/graphql' });
    expect(gatewayAddress({ GATEWAY_PORT: '4400' }).graphql).toBe('http://localhost:4400/graphql');
  });

  it('is a base URL; one that ends in /graphql (as cdk deploy prints it) names the same gateway', () => {
    const deployed = { url: 'https://shop.example.com', graphql: 'https://shop.example.com/graphql', websocket: 'wss://shop.example.com/graphql' };
    expect(gatewayAddress({ GATEWAY_URL: 'https://shop.example.com' })).toEqual(deployed);
    expect(gatewayAddress({ GATEWAY_URL: 'https://shop.example.com/' })).toEqual(deployed);
    expect(gatewayAddress({ GATEWAY_URL: 'https://shop.example.com/graphql' })).toEqual(deployed);
    expect(gatewayAddress({ GATEWAY_URL: 'http://127.0.0.1:4500/api/graphql/', GATEWAY_PORT: '4000' }).graphql).toBe('http://127.0.0.1:4500/api/graphql');
  });

  it('refuses what it cannot use, naming the variable', () => {
    expect(problems({ GATEWAY_URL: 'localhost:4000' })).toEqual(['GATEWAY_URL: must be a http or https URL with a host, got "localhost:4000"']);
    expect(problems({ GATEWAY_PORT: 'four' })).toEqual(['GATEWAY_PORT: must be a port number between 0 and 65535, got "four"']);
    expect(problems({ GATEWAY_PORT: '0' })).toEqual(['GATEWAY_URL: is required when GATEWAY_PORT is 0 (any free port): name the address the gateway printed']);
    expect(gatewayAddress({ GATEWAY_PORT: '0', GATEWAY_URL: 'http://localhost:41234' }).url).toBe('http://localhost:41234');
  });

  it('reads WEB_DEV_PORT for npm run web:dev', () => {
    expect([webDevPort({}), webDevPort({ WEB_DEV_PORT: '5400' })]).toEqual([5173, 5400]);
  });
});

describe('an unreachable gateway', () => {
  it('is told apart from a gateway that answers, whatever it answers', async () => {
    const port = await freePort();
    const refused = await fetch(`http://127.0.0.1:${port}/graphql`).catch((error: unknown) => error);
    expect(unreachableReason(refused)).toBe('ECONNREFUSED');
    expect(unreachableReason(await fetch('http://localhost:1/graphql').catch((error: unknown) => error))).toBe('bad port');

    const server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    try {
      const answered = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
      expect(answered.status).toBe(404);
    } finally {
      server.close();
    }
    expect(unreachableReason(new Error('Unexpected token < in JSON'))).toBeUndefined();
    expect(unreachableReason({ error: Object.assign(new Error('connect ECONNREFUSED ::1:4000'), { code: 'ECONNREFUSED' }) })).toBe('ECONNREFUSED');
    expect(unreachableReason(new AggregateError([Object.assign(new Error('x'), { code: 'EHOSTUNREACH' })]))).toBe('EHOSTUNREACH');
  });

  it('is reported by the examples with the URL they tried', async () => {
    const port = await freePort();
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/watch-order.ts'], {
      cwd: resolve(__dirname, '../..'),
      env: { ...process.env, GATEWAY_URL: '', GATEWAY_PORT: String(port), CUSTOMER_TOKEN: 'a-token', ADMIN_TOKEN: 'another' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(gatewayUnreachableMessage(`http://localhost:${port}/graphql`, 'ECONNREFUSED'));
  });
});
