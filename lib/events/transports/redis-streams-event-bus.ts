import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type Redis from 'iovalkey';
import type { Logger } from '../../logging';
import { createRedisClient } from '../../redis';
import { retryPolicy, type BackoffOptions } from '../backoff';
import { assertValidConsumer } from '../consumer';
import type { DeadLetter, DeadLetterReader } from '../dead-letter';
import { parseEnvelope, type AnyEventEnvelope } from '../envelope';
import { EventBusClosedError, EventBusUnavailableError } from '../errors';
import type { EventBus, EventConsumer, Subscription } from '../event-bus';
import { noEventMetrics, type EventMetrics } from '../event-metrics';
import { signedEventBody } from '../event-signature';
import { RedisStreamConsumer, type RedisStreamConsumerSettings } from './redis-stream-consumer';
import { DEFAULT_STREAM_PREFIX, deadLetterStreamKey, eventStreamKey } from './redis-stream-keys';
import { rangeEntries } from './redis-stream-replies';

export interface RedisStreamsEventBusOptions {
  /** `redis://[user:password@]host:port`: with a password (or ACL user) in it, every connection authenticates. */
  readonly url: string;
  readonly logger: Logger;
  /** EVENT_SIGNING_SECRET: publish signs every envelope, consumers verify on receipt. */
  readonly signingSecret: string;
  /** Key prefix of the streams (see redis-stream-keys.ts); tests sharing one redis-server use their own. */
  readonly streamPrefix?: string;
  /** Deliveries per event before it is dead-lettered, for consumers without a retry policy of their own. */
  readonly maxAttempts?: number;
  /**
   * An entry read but not acknowledged for this long is taken over by another member of the group. A consumer
   * whose own retry policy waits longer gets twice its longest backoff instead (redis-stream-consumer.ts).
   */
  readonly reclaimIdleMs?: number;
  /** How often each subscription looks for such entries. */
  readonly reclaimIntervalMs?: number;
  /** Delay before a failed handler gets the event again; must stay below `reclaimIdleMs`. */
  readonly retryBackoff?: BackoffOptions;
  /** Longest single XREADGROUP BLOCK. */
  readonly blockMs?: number;
  /** Entries read per stream and call. */
  readonly batchSize?: number;
  /** Approximate length each event stream is trimmed to (`XADD ... MAXLEN ~`). */
  readonly maxLen?: number;
  /** How long publish() waits for Redis (to connect, then to answer) before rejecting. */
  readonly publishTimeoutMs?: number;
  readonly loopErrorBackoff?: BackoffOptions;
  readonly closeGraceMs?: number;
  readonly metrics?: EventMetrics;
}

export const REDIS_BUS_DEFAULTS = {
  streamPrefix: DEFAULT_STREAM_PREFIX,
  maxAttempts: 5,
  reclaimIdleMs: 30_000,
  retryBackoff: { initialMs: 1000, maxMs: 15_000 },
  blockMs: 5000,
  batchSize: 10,
  maxLen: 100_000,
  publishTimeoutMs: 5000,
  loopErrorBackoff: { initialMs: 100, maxMs: 5000 },
  closeGraceMs: 2000,
} as const;

const TRANSPORT = 'redis';

/**
 * Redis Streams transport (docs/architecture.md §4): one stream per event type, one consumer group per consuming
 * context, entries acknowledged only after their handler succeeded, idle entries reclaimed, dead-lettered
 * after `maxAttempts`, streams trimmed with `MAXLEN ~`.
 *
 * Connections: one for publishing and small commands, created with the bus, and one per subscription for its
 * blocking reads. The publishing one has no offline queue and a command timeout: while Redis is down publish()
 * rejects within `publishTimeoutMs` instead of queueing, so the outbox row stays for the sweep. Subscription
 * connections do queue, and their loops wait out an outage and carry on when iovalkey has reconnected.
 */
export class RedisStreamsEventBus implements EventBus, DeadLetterReader {
  private readonly settings: RedisStreamConsumerSettings;
  private readonly maxLen: number;
  private readonly publishTimeoutMs: number;
  private readonly commands: Redis;
  private readonly consumers = new Set<RedisStreamConsumer>();
  private readonly where: string;
  private closed = false;

  constructor(private readonly options: RedisStreamsEventBusOptions) {
    const reclaimIdleMs = options.reclaimIdleMs ?? REDIS_BUS_DEFAULTS.reclaimIdleMs;
    const { maxAttempts, retryBackoff } = retryPolicy(options, REDIS_BUS_DEFAULTS);
    this.settings = {
      prefix: options.streamPrefix ?? REDIS_BUS_DEFAULTS.streamPrefix,
      maxAttempts,
      reclaimIdleMs,
      reclaimIntervalMs: options.reclaimIntervalMs ?? Math.max(50, Math.min(10_000, Math.round(reclaimIdleMs / 3))),
      retryBackoff,
      blockMs: options.blockMs ?? REDIS_BUS_DEFAULTS.blockMs,
      batchSize: options.batchSize ?? REDIS_BUS_DEFAULTS.batchSize,
      loopErrorBackoff: options.loopErrorBackoff ?? REDIS_BUS_DEFAULTS.loopErrorBackoff,
      closeGraceMs: options.closeGraceMs ?? REDIS_BUS_DEFAULTS.closeGraceMs,
      logger: options.logger,
      metrics: options.metrics ?? noEventMetrics,
      signingSecret: options.signingSecret,
    };
    this.maxLen = options.maxLen ?? REDIS_BUS_DEFAULTS.maxLen;
    this.publishTimeoutMs = options.publishTimeoutMs ?? REDIS_BUS_DEFAULTS.publishTimeoutMs;
    if (retryBackoff.maxMs >= reclaimIdleMs) {
      // A retry waiting longer than the idle time would be taken over by another member mid-backoff.
      throw new RangeError(`retryBackoff.maxMs (${retryBackoff.maxMs}) must be below reclaimIdleMs (${reclaimIdleMs})`);
    }
    this.where = describeRedis(options.url);
    this.commands = this.connect('publisher', {
      enableOfflineQueue: false,
      // Not resent after a reconnect: publish() has already failed by then, and the sweep will publish again.
      autoResendUnfulfilledCommands: false,
      commandTimeout: this.publishTimeoutMs,
      maxRetriesPerRequest: 0,
    });
  }

  get streamPrefix(): string {
    return this.settings.prefix;
  }

  async publish(envelopes: readonly AnyEventEnvelope[]): Promise<void> {
    if (this.closed) throw new EventBusClosedError(TRANSPORT, 'publish');
    // All or nothing: one invalid envelope rejects the batch before any of it is written. The envelopes are
    // written as given (validation only checks them), so fields a producer added beyond the schema survive.
    for (const envelope of envelopes) parseEnvelope(envelope);
    if (envelopes.length === 0) return;
    await this.ready(`${envelopes.length} event(s) not published`);
    const transaction = this.commands.multi();
    for (const envelope of envelopes) {
      transaction.xadd(
        eventStreamKey(this.settings.prefix, envelope.type),
        'MAXLEN',
        '~',
        this.maxLen,
        '*',
        'id',
        envelope.id,
        'event',
        signedEventBody(envelope, this.options.signingSecret),
      );
    }
    let results: [Error | null, unknown][] | null;
    try {
      // MULTI: a batch lands whole or not at all, so a retry from the outbox duplicates as little as possible.
      results = await transaction.exec();
    } catch (error) {
      throw new EventBusUnavailableError(`Redis at ${this.where} did not take ${envelopes.length} event(s): ${(error as Error).message}`, { cause: error });
    }
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) {
      throw new EventBusUnavailableError(`Redis at ${this.where} refused ${envelopes.length} event(s): ${failed?.message ?? 'transaction aborted'}`, {
        cause: failed,
      });
    }
    for (const envelope of envelopes) this.settings.metrics.published(TRANSPORT, envelope.type);
  }

  async subscribe(consumer: EventConsumer): Promise<Subscription> {
    if (this.closed) throw new EventBusClosedError(TRANSPORT, 'subscribe');
    assertValidConsumer(consumer);
    const connection = this.connect(`consumer:${consumer.group}`, {});
    const consumerName = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const streamConsumer = new RedisStreamConsumer(connection, this.commands, consumer, consumerName, this.settings);
    // Tracked before it starts, so a close() of the bus meanwhile still releases its connection.
    this.consumers.add(streamConsumer);
    try {
      await streamConsumer.start();
    } catch (error) {
      this.consumers.delete(streamConsumer);
      await streamConsumer.close();
      throw error;
    }
    return {
      close: async () => {
        this.consumers.delete(streamConsumer);
        await streamConsumer.close();
      },
    };
  }

  /** The dead letters of a consumer group, oldest first. */
  async deadLetters(group: string): Promise<DeadLetter[]> {
    await this.ready('cannot read dead letters');
    const key = deadLetterStreamKey(this.settings.prefix, group);
    return rangeEntries(key, await this.commands.xrange(key, '-', '+')).map(({ fields }) => ({
      group: fields?.['group'] ?? group,
      deliveredAs: fields?.['deliveredAs'] ?? '',
      eventId: fields?.['eventId'] || undefined,
      body: fields?.['body'] ?? '',
      reason: fields?.['reason'] ?? '',
      attempts: Number(fields?.['attempts'] ?? 0),
      deadLetteredAt: fields?.['deadLetteredAt'] ?? '',
    }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const consumers = [...this.consumers];
    this.consumers.clear();
    await Promise.all(consumers.map((consumer) => consumer.close()));
    this.commands.disconnect();
  }

  private connect(role: string, options: Parameters<typeof createRedisClient>[1]): Redis {
    const connection = createRedisClient(this.options.url, {
      // Autopipelined commands are aborted, not resent, when the connection drops mid-flight.
      enableAutoPipelining: false,
      connectionName: `${this.settings.prefix}:${role}`,
      ...options,
    });
    connection.on('error', (error: Error) => this.options.logger.warn({ err: error, role }, `Redis connection to ${this.where} failed`));
    return connection;
  }

  /** One wait for the command connection shared by every caller: an outage with many publishes adds one listener. */
  private connecting: Promise<void> | undefined;

  /** Waits (at most publishTimeoutMs) for the command connection, so a first publish does not race the connect. */
  private async ready(consequence: string): Promise<void> {
    const connection = this.commands;
    if (connection.status === 'ready') return;
    if (connection.status === 'end') throw new EventBusClosedError(TRANSPORT, 'publish');
    this.connecting ??= new Promise<void>((resolve) => {
      connection.once('ready', () => {
        this.connecting = undefined;
        resolve();
      });
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new EventBusUnavailableError(`Redis at ${this.where} is unavailable (connection ${connection.status}): ${consequence}`)),
            this.publishTimeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** host:port of a Redis URL, never its password (messages end up in logs). */
function describeRedis(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    throw new TypeError(`Redis URL must look like redis://host:port, got ${JSON.stringify(url.replace(/\/\/[^@]*@/, '//***@'))}`);
  }
}
