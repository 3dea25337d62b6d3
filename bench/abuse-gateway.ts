/**
 * The gateway under attack in `npm run bench -- abuse`, alone in a process of its own so that its event loop is
 * measured alone (perf_hooks monitorEventLoopDelay): production mode, default query limits, and the rate limits of
 * the configuration bench/abuse.ts gives it, over the subgraphs bench/abuse.ts runs. It also times, on its own
 * clock, each request tagged `x-abuse-case` from its arrival to the end of its answer. Driven over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AppConfig } from '../lib/config';
import { startGatewayInstance } from '../scripts/system';

export type GatewayCommand = { readonly type: 'measure' } | { readonly type: 'report' } | { readonly type: 'stop' };
export type GatewayReply =
  | { readonly type: 'ready'; readonly gatewayUrl: string }
  | { readonly type: 'measuring' }
  | {
      readonly type: 'report';
      readonly maxBlockMs: number;
      readonly p99BlockMs: number;
      readonly rssBytes: number;
      readonly maxRssBytes: number;
      /** Arrival to answer sent, in nanoseconds, of each `x-abuse-case` request, by case index. */
      readonly rejectionsNs: Record<string, number[]>;
    }
  | { readonly type: 'stopped' };

async function main(): Promise<void> {
  const serialized = process.env['ABUSE_GATEWAY_CONFIG'];
  if (!serialized) throw new Error('ABUSE_GATEWAY_CONFIG is not set');
  const config = JSON.parse(serialized) as AppConfig;
  const gateway = await startGatewayInstance(config, undefined);
  let rejectionsNs: Record<string, number[]> = {};
  gateway.http.server.on('request', (request, response) => {
    const abuse = request.headers['x-abuse-case'];
    if (typeof abuse !== 'string') return;
    const started = process.hrtime.bigint();
    response.once('finish', () => (rejectionsNs[abuse] ??= []).push(Number(process.hrtime.bigint() - started)));
  });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let maxRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage.rss())), 50);
  const send = (reply: GatewayReply) => process.send?.(reply);
  process.on('message', (command: GatewayCommand) => {
    if (command.type === 'measure') {
      histogram.reset();
      rejectionsNs = {};
      maxRss = process.memoryUsage.rss();
      send({ type: 'measuring' });
    } else if (command.type === 'report') {
      send({
        type: 'report',
        maxBlockMs: histogram.max / 1e6,
        p99BlockMs: histogram.percentile(99) / 1e6,
        rssBytes: process.memoryUsage.rss(),
        maxRssBytes: maxRss,
        rejectionsNs,
      });
    } else {
      clearInterval(sampler);
      histogram.disable();
      void gateway.stopAll().then(() => {
        send({ type: 'stopped' });
        process.disconnect();
      });
    }
  });
  send({ type: 'ready', gatewayUrl: `${gateway.http.url}/graphql` });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
