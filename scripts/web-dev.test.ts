import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '../lib/events/testing/wait-for';
import { gatewayUnreachableMessage } from '../lib/config';
import { freePort } from '../lib/process';

/** `npm run web:dev` as a user runs it, with no gateway at GATEWAY_PORT: what the page and the terminal are told. */
describe('npm run web:dev without a gateway', () => {
  const stops: (() => void)[] = [];
  afterAll(() => stops.forEach((stop) => stop()));

  it('answers the page with a GraphQL error naming the gateway’s URL, and says it once on the terminal', async () => {
    const [gatewayPort, webPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/web-dev.ts'], {
      cwd: resolve(__dirname, '..'),
      env: { ...process.env, GATEWAY_URL: '', GATEWAY_PORT: String(gatewayPort), WEB_DEV_PORT: String(webPort), NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stops.push(() => child.kill('SIGTERM'));
    let output = '';
    // Vite colours its banner when CI is set (picocolors), with escapes inside the URL: read the text.
    const read = (chunk: Buffer) => (output += stripVTControlCharacters(chunk.toString()));
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    await waitFor('the dev server', () => output.includes(`http://localhost:${webPort}/`), 60_000, 100).catch(() => {
      throw new Error(`web:dev did not start:\n${output}`);
    });
    expect(output).toContain(`API:     http://localhost:${gatewayPort}/graphql (GATEWAY_URL)`);

    const message = gatewayUnreachableMessage(`http://localhost:${gatewayPort}`, 'ECONNREFUSED');
    for (let request = 0; request < 2; request += 1) {
      const response = await fetch(`http://localhost:${webPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ errors: [{ message, extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    }
    await waitFor('the terminal line', () => output.includes(message), 10_000, 50);
    expect(output.split(message)).toHaveLength(2);
    expect(output).not.toContain('http proxy error');
    expect(output).not.toMatch(/\n\s+at /);
  }, 90_000);
});
