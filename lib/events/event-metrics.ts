import { Counter, Histogram, type Registry } from 'prom-client';
import { EVENT_SOURCES, type EventType } from './schemas';

export type DeliveryOutcome = 'handled' | 'retried' | 'dead_lettered';
export type HandlerOutcome = 'success' | 'failure';

/**
 * What the transports report to `/metrics`; a no-op when the service has no registry (scripts, Lambda).
 * - `events_published_total{transport,type}`: events the bus accepted;
 * - `events_delivered_total{transport,group,type,outcome}`: deliveries to a consumer group, by what became of
 *   them: `handled` (processed and acknowledged), `retried` (the handler failed, it will be delivered again),
 *   `dead_lettered` (invalid, or failed on every attempt);
 * - `events_handler_duration_seconds{transport,group,type,outcome}`: each handler run, `success` or `failure`
 *   (its `_count` with outcome="failure" counts every failed attempt, the last one before dead-lettering too).
 */
export interface EventMetrics {
  published(transport: string, type: string, count?: number): void;
  delivered(transport: string, group: string, type: string, outcome: DeliveryOutcome): void;
  handlerRan(transport: string, group: string, type: string, seconds: number, outcome: HandlerOutcome): void;
}

export const noEventMetrics: EventMetrics = { published: () => undefined, delivered: () => undefined, handlerRan: () => undefined };

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
  const handlerDuration = histogram(
    registry,
    'events_handler_duration_seconds',
    'Event handler runs, by transport, consumer group, type and outcome (success, failure)',
    ['transport', 'group', 'type', 'outcome'],
  );
  return {
    published: (transport, type, count = 1) => published.inc({ transport, type }, count),
    delivered: (transport, group, type, outcome) => delivered.inc({ transport, group, type, outcome }),
    handlerRan: (transport, group, type, seconds, outcome) => handlerDuration.observe({ transport, group, type, outcome }, seconds),
  };
}

/**
 * The metrics of a bus that several services share (`npm start` runs every context in one process on one bus):
 * each observation goes to the registry of the service it is about, so each `/metrics` describes its own
 * service. A delivery belongs to its consumer group (the consuming context: rewards, orders, gateway), a
 * publication to the context that is the event's source. Services register when they start.
 */
export class EventMetricsByService implements EventMetrics {
  private readonly services = new Map<string, EventMetrics>();

  register(service: string, registry: Registry): void {
    this.services.set(service, createEventMetrics(registry));
  }

  published(transport: string, type: string, count?: number): void {
    this.services.get(EVENT_SOURCES[type as EventType])?.published(transport, type, count);
  }

  delivered(transport: string, group: string, type: string, outcome: DeliveryOutcome): void {
    this.services.get(group)?.delivered(transport, group, type, outcome);
  }

  handlerRan(transport: string, group: string, type: string, seconds: number, outcome: HandlerOutcome): void {
    this.services.get(group)?.handlerRan(transport, group, type, seconds, outcome);
  }
}

/** Several buses may share one service registry; prom-client rejects a second metric of the same name. */
function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function histogram<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Histogram<L>;
  return new Histogram({ name, help, labelNames, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] });
}
