import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { requestCacheState } from '../../cache/request-cache-state';
import { recordingNext, subgraphAnswer, subgraphRequest } from '../testing/fetches';
import { fetchMetrics } from './fetch-metrics';

const incoming = () => ({ policy: { restrict: () => undefined }, state: requestCacheState({}) });

async function counts(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('gateway_subgraph_fetch_duration_seconds')!.get();
  return Object.fromEntries(metric.values.filter((value) => (value as { metricName?: string }).metricName === 'gateway_subgraph_fetch_duration_seconds_count').map((value) => [`${value.labels['subgraph']}:${value.labels['outcome']}`, value.value]));
}

describe('fetchMetrics', () => {
  it('times each fetch of a client operation by subgraph and outcome: success, error, failure', async () => {
    const registry = new Registry();
    const step = fetchMetrics(registry)('catalog');
    await step(recordingNext())(subgraphRequest({ incoming: incoming() }));
    await step(recordingNext(() => subgraphAnswer({ text: '{"data":null,"errors":[{"message":"no"}]}' })))(subgraphRequest({ incoming: incoming() }));
    await step(recordingNext(() => subgraphAnswer({ status: 503, text: '' })))(subgraphRequest({ incoming: incoming() })).catch(() => undefined);
    await step(recordingNext(() => Promise.reject(new Error('ECONNRESET'))))(subgraphRequest({ incoming: incoming() })).catch(() => undefined);
    expect(await counts(registry)).toEqual({ 'catalog:success': 1, 'catalog:error': 1, 'catalog:failure': 2 });
  });

  it('leaves health checks and other fetches without a client operation untimed', async () => {
    const registry = new Registry();
    await fetchMetrics(registry)('catalog')(recordingNext())(subgraphRequest());
    expect(await counts(registry)).toEqual({});
  });
});
