import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../lib/config';
import { waitForValue } from '../../lib/events/testing/wait-for';
import { freePort } from '../../lib/process';
import { createServiceRuntime } from '../../lib/runtime';
import { ensureTables, startGatewayInstance, type RunningSystem } from '../../scripts/system';
import { startCatalog } from '../../subgraphs/catalog/service';
import { startRewards } from '../../subgraphs/rewards/service';
import { testRedisUrl } from '../support/services';
import { startTestSystem, testEnv } from '../support/system';

/**
 * Liveness and readiness on real services: `/health/live` says only that the process serves HTTP; `/health/ready`
 * (and `/health`) fail with 503, naming the dependency, while a dependency is down.
 */

const probe = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

let system: RunningSystem;
beforeAll(async () => {
  system = await startTestSystem('health', { env: { REDIS_URL: testRedisUrl(), EVENT_BUS: 'memory' } });
});
afterAll(() => system?.stop());

describe('a subgraph', () => {
  it('is live and ready with its table and Redis answering', async () => {
    for (const path of ['/health/ready', '/health']) {
      expect(await probe(`${system.urls.orders}${path}`)).toEqual({
        status: 200,
        body: { status: 'ok', service: 'orders', checks: { dynamodb: 'ok', redis: 'ok' } },
      });
    }
    expect(await probe(`${system.urls.orders}/health/live`)).toEqual({ status: 200, body: { status: 'ok', service: 'orders' } });
  });

  it('is not ready, but live, when DynamoDB does not answer', async () => {
    const port = await freePort(); // nothing listens there
    const runtime = createServiceRuntime(loadConfig(testEnv('health-no-dynamo', { DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` })), 'catalog');
    const catalog = await startCatalog(runtime, 0);
    try {
      expect(await probe(`${catalog.http.url}/health/ready`)).toEqual({ status: 503, body: { status: 'degraded', service: 'catalog', checks: { dynamodb: 'failing' } } });
      expect(await probe(`${catalog.http.url}/health`)).toMatchObject({ status: 503 });
      expect(await probe(`${catalog.http.url}/health/live`)).toEqual({ status: 200, body: { status: 'ok', service: 'catalog' } });
    } finally {
      await catalog.stop();
      runtime.dynamo.client.destroy();
    }
  });

  it('is not ready, but live, when its Redis does not answer', async () => {
    // A port that accepts connections and never speaks Redis: the PING times out.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const runtime = createServiceRuntime(loadConfig(testEnv('health-no-redis', { REDIS_URL: `redis://127.0.0.1:${port}`, EVENT_BUS: 'memory' })), 'catalog');
    const catalog = await startCatalog(runtime, 0);
    try {
      const ready = await probe(`${catalog.http.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body['checks']).toEqual({ dynamodb: expect.any(String), redis: 'failing' });
      expect((await probe(`${catalog.http.url}/health/live`)).status).toBe(200);
    } finally {
      await catalog.stop();
      runtime.dynamo.client.destroy();
      silent.close();
    }
  });
});

describe('the gateway', () => {
  it('is ready with its supergraph loaded, every subgraph and Redis answering; not ready once a subgraph is gone', async () => {
    const config = loadConfig(testEnv('health-gateway', { REDIS_URL: testRedisUrl(), EVENT_BUS: 'memory' }));
    // A subgraph of its own that can be stopped without disturbing the shared system.
    const rewardsPort = await freePort();
    const rewardsRuntime = createServiceRuntime({ ...config, ports: { ...config.ports, rewards: rewardsPort } }, 'rewards');
    await ensureTables(rewardsRuntime, ['rewards']);
    const rewards = await startRewards(rewardsRuntime, rewardsPort);
    const gatewayConfig = {
      ...config,
      urls: {
        ...config.urls,
        catalogGraphql: `${system.urls.catalog}/graphql`,
        ordersGraphql: `${system.urls.orders}/graphql`,
        rewardsGraphql: `${rewards.http.url}/graphql`,
        paymentsGraphql: `${system.urls.payments}/graphql`,
        shippingGraphql: `${system.urls.shipping}/graphql`,
      },
    };
    const gateway = await startGatewayInstance(gatewayConfig, undefined, {});
    try {
      const url = `${gateway.http.url}/health/ready`;
      expect(await probe(url)).toEqual({
        status: 200,
        body: { status: 'ok', service: 'gateway', checks: { supergraph: 'ok', 'subgraph:catalog': 'ok', 'subgraph:orders': 'ok', 'subgraph:rewards': 'ok', 'subgraph:payments': 'ok', 'subgraph:shipping': 'ok', redis: 'ok' } },
      });

      await rewards.stop();
      // Results are reused for a few seconds so probes do not hammer the subgraphs: poll until it shows.
      let last: unknown;
      const ready = await waitForValue(
        () => `readiness to change after Rewards stopped (last: ${JSON.stringify(last)})`,
        async () => {
          const answer = await probe(url);
          last = answer;
          return answer.status === 200 ? undefined : answer;
        },
        { timeoutMs: 30_000, everyMs: 250 },
      );
      expect(ready).toEqual({
        status: 503,
        body: { status: 'degraded', service: 'gateway', checks: { supergraph: 'ok', 'subgraph:catalog': 'ok', 'subgraph:orders': 'ok', 'subgraph:rewards': 'failing', 'subgraph:payments': 'ok', 'subgraph:shipping': 'ok', redis: 'ok' } },
      });
      expect(await probe(`${gateway.http.url}/health/live`)).toEqual({ status: 200, body: { status: 'ok', service: 'gateway' } });
    } finally {
      await gateway.stopAll();
      rewardsRuntime.dynamo.client.destroy();
    }
  }, 60_000);
});
