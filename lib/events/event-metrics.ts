import { Counter, type Registry } from 'prom-client';

export type DeliveryOutcome = 'handled' | 'retried' | 'dead_lettered';

/** What the transports report to `/metrics`; a no-op when the service has no registry (scripts, Lambda). */
export interface EventMetrics {
  published(transport: string, type: string, count?: number): void;
  delivered(transport: string, group: string, type: string, outcome: DeliveryOutcome): void;
}

export const noEventMetrics: EventMetrics = { published: () => undefined, delivered: () => undefined };

export function createEventMetrics(registry: Registry | undefined): EventMetrics {
  if (!registry) return noEventMetrics;
  const published = counter(registry, 'events_published_total', 'Events accepted by the event bus, by transport and type', [
    'transport',
    'type',
  ]);
  const delivered = counter(
    registry,
    'events_delivered_total',
    'Event deliveries to consumer groups, by transport, group, type and outcome (handled, retried, dead_lettered)',
    ['transport', 'group', 'type', 'outcome'],
  );
  return {
    published: (transport, type, count = 1) => published.inc({ transport, type }, count),
    delivered: (transport, group, type, outcome) => delivered.inc({ transport, group, type, outcome }),
  };
}

/** Several buses may share one service registry; prom-client rejects a second metric of the same name. */
function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}
