import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logging';
import type { OutboxBacklog } from './outbox-backlog';

/**
 * `outbox_pending_events{context}` and `outbox_oldest_pending_age_seconds{context}`, read from the outbox when
 * Prometheus scrapes (one read serves both gauges of a scrape). A growing age means events wait: the relay is
 * down or the bus refuses them. When the read fails the gauges are left empty for that scrape, rather than
 * repeating a stale figure, and /metrics still answers.
 */
export function registerOutboxGauges(registry: Registry, context: string, read: () => Promise<OutboxBacklog>, logger: Logger): void {
  let current: { at: number; backlog: Promise<OutboxBacklog | undefined> } | undefined;
  const backlog = () => {
    if (!current || Date.now() - current.at > 1000) {
      current = {
        at: Date.now(),
        backlog: read().catch((error: unknown) => {
          logger.warn({ err: error, context }, 'could not read the outbox backlog for /metrics');
          return undefined;
        }),
      };
    }
    return current.backlog;
  };
  new Gauge({
    name: 'outbox_pending_events',
    help: 'Events committed to the outbox and not yet published, per context',
    labelNames: ['context'],
    registers: [registry],
    async collect() {
      this.reset();
      const value = await backlog();
      if (value) this.set({ context }, value.pending);
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest event waiting in the outbox (0 when none waits), per context',
    labelNames: ['context'],
    registers: [registry],
    async collect() {
      this.reset();
      const value = await backlog();
      if (value) this.set({ context }, value.oldestAgeSeconds);
    },
  });
}
