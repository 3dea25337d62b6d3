import type Redis from 'iovalkey';
import type { Logger } from '../../logging';
import { backoffDelay, type BackoffOptions, type RetryPolicy } from '../backoff';
import { consumerRetryPolicy } from '../consumer';
import type { AnyEventEnvelope } from '../envelope';
import type { EventConsumer } from '../event-bus';
import type { EventMetrics } from '../event-metrics';
import { handleDelivery } from '../event-tracing';
import { readReceivedEvent, UNAUTHENTICATED_EVENT_LOG } from '../received-event';
import { deadLetterStreamKey, eventStreamKey } from './redis-stream-keys';
import { autoClaimEntries, claimEntries, pendingDeliveries, readGroupEntries, type StreamEntry } from './redis-stream-replies';

export interface RedisStreamConsumerSettings {
  readonly prefix: string;
  readonly maxAttempts: number;
  readonly reclaimIdleMs: number;
  readonly reclaimIntervalMs: number;
  readonly retryBackoff: BackoffOptions;
  readonly blockMs: number;
  readonly batchSize: number;
  /** Pause after a failed loop iteration (Redis gone, a command refused), growing while failures continue. */
  readonly loopErrorBackoff: BackoffOptions;
  /** How long close() lets the loop acknowledge what it finished before cutting the connection. */
  readonly closeGraceMs: number;
  readonly logger: Logger;
  readonly metrics: EventMetrics;
  /** EVENT_SIGNING_SECRET: every entry's envelope must carry a valid signature. */
  readonly signingSecret: string;
}

const TRANSPORT = 'redis';

/** An entry to hand to the handler, with Redis's delivery counter for it (1 on the first delivery). */
interface Delivery {
  readonly entry: StreamEntry;
  readonly deliveries: number;
}

/** A delivery whose envelope was read and verified, for the consumer's handler. */
interface Received extends Delivery {
  readonly type: string;
  readonly body: string;
  readonly envelope: AnyEventEnvelope;
}

interface ScheduledRetry {
  readonly stream: string;
  readonly id: string;
  readonly delayMs: number;
  readonly dueAt: number;
}

/**
 * One subscription's read loop on its own connection (XREADGROUP BLOCK holds the connection while it waits).
 *
 * Attempts are Redis's own delivery counter of each pending entry, so they survive a consumer's crash: a
 * fresh read is delivery 1; a failed entry is left pending and, after a backoff, claimed again by this
 * consumer with XCLAIM (which increments the counter); an entry whose consumer died is claimed by any member
 * with XAUTOCLAIM once idle for `reclaimIdleMs` (also incrementing it). XACK comes only after the handler
 * succeeded; the entry is dead-lettered (XADD to the dead-letter stream and XACK in one MULTI) when its
 * handler failed on delivery `maxAttempts`, or when it arrives with more deliveries than that.
 */
export class RedisStreamConsumer {
  private readonly streams: readonly string[];
  /** This consumer's attempts and backoff (its own policy, else the bus's). */
  private readonly retry: RetryPolicy;
  /**
   * Idle time after which an unacknowledged entry is taken over: the bus's, or twice this consumer's longest
   * backoff when that is longer, so an entry waiting out its own backoff is never mistaken for an abandoned one.
   */
  private readonly reclaimIdleMs: number;
  private readonly retries = new Map<string, ScheduledRetry>();
  private nextReclaimAt = 0;
  private groupsMissing = false;
  private closing = false;
  private closed: Promise<void> | undefined;
  private reading = false;
  private handling: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    /** This subscription's own connection: reads block on it. */
    private readonly connection: Redis,
    /** The bus's shared command connection, used once the own one is gone (close). */
    private readonly control: Redis,
    readonly consumer: EventConsumer,
    private readonly consumerName: string,
    private readonly settings: RedisStreamConsumerSettings,
  ) {
    this.streams = [...new Set(consumer.types)].map((type) => eventStreamKey(settings.prefix, type));
    this.retry = consumerRetryPolicy(consumer, { maxAttempts: settings.maxAttempts, retryBackoff: settings.retryBackoff });
    this.reclaimIdleMs = consumer.retry ? Math.max(settings.reclaimIdleMs, 2 * consumer.retry.retryBackoff.maxMs) : settings.reclaimIdleMs;
  }

  /** Creates the groups (so events published from now on are kept for this context), then starts reading. */
  async start(): Promise<void> {
    await this.ensureGroups();
    this.loop = this.run();
  }

  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    this.wake?.();
    // A blocked XREADGROUP would hold the loop for up to blockMs; cutting the connection ends it now.
    if (this.reading) this.disconnect();
    await this.handling;
    let grace: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      (this.loop ?? Promise.resolve()).then(() => true),
      new Promise<false>((resolve) => (grace = setTimeout(() => resolve(false), this.settings.closeGraceMs))),
    ]);
    clearTimeout(grace);
    this.disconnect();
    await this.loop;
    if (finished) await this.forgetConsumer();
  }

  private disconnect(): void {
    // iovalkey arms a timer on every disconnect() and clears it when the socket closes; a second call on a
    // closed socket would leave its timer running.
    if (this.connection.status !== 'end') this.connection.disconnect();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closing) {
      try {
        if (this.groupsMissing) await this.ensureGroups();
        await this.iteration();
        failures = 0;
      } catch (error) {
        if (this.closing) break;
        failures += 1;
        // NOGROUP: the stream or group vanished (Redis restarted without persistence, or FLUSHALL).
        if (/NOGROUP/.test((error as Error).message)) this.groupsMissing = true;
        this.settings.logger.warn(
          { err: error, group: this.consumer.group, failures },
          'event consumer could not read from Redis; retrying',
        );
        await this.pause(backoffDelay(failures, this.settings.loopErrorBackoff));
      }
    }
  }

  private async iteration(): Promise<void> {
    const batch: Delivery[] = [];
    if (Date.now() >= this.nextReclaimAt) {
      batch.push(...(await this.reclaimIdle()));
      this.nextReclaimAt = Date.now() + this.settings.reclaimIntervalMs;
    }
    batch.push(...(await this.claimDueRetries()));
    if (batch.length === 0) batch.push(...(await this.readNew()));
    // Entry ids start with their millisecond timestamp: sorting restores publish order across the type streams.
    batch.sort((a, b) => compareIds(a.entry.id, b.entry.id));
    this.handling = this.handleBatch(batch);
    try {
      await this.handling;
    } finally {
      this.handling = undefined;
    }
  }

  /**
   * The batch's deliveries in entry order, one at a time; or, for a consumer that declares its concurrency, in lanes
   * by key, up to its limit at once, each lane in entry order (EventConsumer.concurrency). Nothing new starts once
   * the consumer is closing.
   */
  private async handleBatch(batch: readonly Delivery[]): Promise<void> {
    const { concurrency } = this.consumer;
    const lanes = new Map<string, Received[]>();
    for (const delivery of batch) {
      if (this.closing) return;
      const received = await this.receive(delivery);
      if (!received) continue;
      const key = concurrency ? concurrency.key(received.envelope) : '';
      const lane = lanes.get(key);
      if (lane) lane.push(received);
      else lanes.set(key, [received]);
    }
    // Like the loop of one delivery at a time: a failure to reach Redis ends the batch (what was not handled stays
    // pending, for a retry or a reclaim), but only once the lanes under way are done, so close() waits for them all.
    const waiting = [...lanes.values()];
    let failure: { readonly error: unknown } | undefined;
    const runLanes = async () => {
      for (let lane = waiting.shift(); lane; lane = waiting.shift()) {
        for (const received of lane) {
          if (this.closing || failure) return;
          try {
            await this.handle(received);
          } catch (error) {
            failure ??= { error };
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency?.limit ?? 1, waiting.length) }, runLanes));
    if (failure) throw failure.error;
  }

  private async readNew(): Promise<Delivery[]> {
    if (this.closing) return [];
    const now = Date.now();
    const nextRetry = Math.min(...[...this.retries.values()].map((retry) => retry.dueAt));
    // BLOCK 0 would mean "forever": never below 1 ms, never past the next retry or reclaim pass.
    const block = Math.max(1, Math.min(this.settings.blockMs, this.nextReclaimAt - now, nextRetry - now));
    this.reading = true;
    try {
      const reply = await this.connection.xreadgroup(
        'GROUP',
        this.consumer.group,
        this.consumerName,
        'COUNT',
        this.settings.batchSize,
        'BLOCK',
        block,
        'STREAMS',
        ...this.streams,
        ...this.streams.map(() => '>'),
      );
      return readGroupEntries(reply).map((entry) => ({ entry, deliveries: 1 }));
    } finally {
      this.reading = false;
    }
  }

  /** Entries of members that died (read, never acked) once idle for `reclaimIdleMs` (XAUTOCLAIM, Redis 6.2+). */
  private async reclaimIdle(): Promise<Delivery[]> {
    const claimed: StreamEntry[] = [];
    for (const stream of this.streams) {
      const reply = await this.connection.xautoclaim(
        stream,
        this.consumer.group,
        this.consumerName,
        this.reclaimIdleMs,
        '0-0',
        'COUNT',
        this.settings.batchSize,
      );
      claimed.push(...autoClaimEntries(stream, reply).entries);
    }
    for (const entry of claimed) this.retries.delete(retryKey(entry.stream, entry.id));
    if (claimed.length > 0) {
      this.settings.logger.info({ group: this.consumer.group, count: claimed.length }, 'reclaimed events left unacknowledged by a consumer');
    }
    return this.withDeliveryCounts(claimed);
  }

  /** This consumer's own failed entries whose backoff is over, claimed again so Redis counts the attempt. */
  private async claimDueRetries(): Promise<Delivery[]> {
    const now = Date.now();
    const due = [...this.retries.values()].filter((retry) => retry.dueAt <= now);
    const claimed: StreamEntry[] = [];
    for (const retry of due) {
      this.retries.delete(retryKey(retry.stream, retry.id));
      // min-idle = the backoff: if another member claimed it meanwhile its idle time restarted, and we skip it.
      const reply = await this.connection.xclaim(retry.stream, this.consumer.group, this.consumerName, retry.delayMs, retry.id);
      claimed.push(...claimEntries(retry.stream, reply));
    }
    return this.withDeliveryCounts(claimed);
  }

  private async withDeliveryCounts(entries: readonly StreamEntry[]): Promise<Delivery[]> {
    return Promise.all(
      entries.map(async (entry) => {
        const reply = await this.connection.xpending(entry.stream, this.consumer.group, entry.id, entry.id, 1, this.consumerName);
        return { entry, deliveries: pendingDeliveries(reply).get(entry.id) ?? 1 };
      }),
    );
  }

  /**
   * A delivery checked before its handler sees it: a trimmed entry is cleared, and one that is malformed, forged or
   * delivered more often than the consumer's attempts is dead-lettered; undefined for those.
   */
  private async receive({ entry, deliveries }: Delivery): Promise<Received | undefined> {
    const type = entry.stream.slice(this.settings.prefix.length + 1);
    if (entry.fields === null) {
      // Trimmed by MAXLEN while pending: nothing is left to deliver, only the pending record to clear.
      await this.connection.xack(entry.stream, this.consumer.group, entry.id);
      return undefined;
    }
    const body = entry.fields['event'];
    if (body === undefined) {
      await this.deadLetter(entry, type, '', undefined, 'invalid event: the stream entry has no "event" field', 0);
      return undefined;
    }
    const received = readReceivedEvent(body, type, this.settings.signingSecret);
    if (!received.ok) {
      if (received.unauthenticated) {
        this.settings.logger.warn({ group: this.consumer.group, eventId: received.eventId, type, reason: received.reason }, UNAUTHENTICATED_EVENT_LOG);
      }
      await this.deadLetter(entry, type, body, received.eventId, received.reason, 0);
      return undefined;
    }
    const { envelope } = received;
    if (deliveries > this.retry.maxAttempts) {
      const reason = `delivered ${deliveries - 1} times without being acknowledged (its consumers failed or stopped)`;
      await this.deadLetter(entry, type, body, envelope.id, reason, deliveries - 1);
      return undefined;
    }
    return { entry, deliveries, type, body, envelope };
  }

  private async handle({ entry, deliveries, type, body, envelope }: Received): Promise<void> {
    try {
      await handleDelivery(envelope, { group: this.consumer.group, transport: TRANSPORT, metrics: this.settings.metrics }, () => this.consumer.handle(envelope));
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      if (deliveries >= this.retry.maxAttempts) {
        await this.deadLetter(entry, type, body, envelope.id, `handler failed on all ${deliveries} attempts; last error: ${message}`, deliveries);
        return;
      }
      const delayMs = backoffDelay(deliveries, this.retry.retryBackoff);
      this.retries.set(retryKey(entry.stream, entry.id), { stream: entry.stream, id: entry.id, delayMs, dueAt: Date.now() + delayMs });
      this.settings.metrics.delivered(TRANSPORT, this.consumer.group, type, 'retried');
      this.settings.logger.warn(
        { err: error, group: this.consumer.group, eventId: envelope.id, type, attempt: deliveries, retryInMs: delayMs },
        'event handler failed; will retry',
      );
      return;
    }
    await this.connection.xack(entry.stream, this.consumer.group, entry.id);
    this.settings.metrics.delivered(TRANSPORT, this.consumer.group, type, 'handled');
  }

  private async deadLetter(
    entry: StreamEntry,
    type: string,
    body: string,
    eventId: string | undefined,
    reason: string,
    attempts: number,
  ): Promise<void> {
    const { group } = this.consumer;
    // One MULTI: the entry is either still pending in the group or in the dead-letter stream, never both or neither.
    // The dead-letter stream is not trimmed: it holds what needs an operator, and should stay short.
    const results = await this.connection
      .multi()
      .xadd(
        deadLetterStreamKey(this.settings.prefix, group),
        '*',
        'group', group,
        'deliveredAs', type,
        'eventId', eventId ?? '',
        'body', body,
        'reason', reason,
        'attempts', String(attempts),
        'deadLetteredAt', new Date().toISOString(),
        'stream', entry.stream,
        'entryId', entry.id,
      )
      .xack(entry.stream, group, entry.id)
      .exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) throw failed ?? new Error(`dead-lettering entry ${entry.id} of ${entry.stream} was aborted`);
    this.settings.metrics.delivered(TRANSPORT, group, type, 'dead_lettered');
    this.settings.logger.error({ group, eventId, type, reason, attempts }, 'event dead-lettered');
  }

  private async ensureGroups(): Promise<void> {
    for (const stream of this.streams) {
      try {
        // Id 0, not $: a context that starts after events were published still gets them (consumers are idempotent).
        await this.connection.xgroup('CREATE', stream, this.consumer.group, '0', 'MKSTREAM');
      } catch (error) {
        if (!/BUSYGROUP/.test((error as Error).message)) throw error;
      }
    }
    this.groupsMissing = false;
  }

  /**
   * Removes this consumer's name from its groups when it holds nothing pending (names are per process and
   * would otherwise pile up in XINFO CONSUMERS). Anything still pending keeps the name, for XAUTOCLAIM.
   */
  private async forgetConsumer(): Promise<void> {
    if (this.control.status !== 'ready') return;
    try {
      for (const stream of this.streams) {
        const pending = await this.control.xpending(stream, this.consumer.group, '-', '+', 1, this.consumerName);
        if (pending.length === 0) await this.control.xgroup('DELCONSUMER', stream, this.consumer.group, this.consumerName);
      }
    } catch (error) {
      this.settings.logger.debug({ err: error, group: this.consumer.group }, 'could not remove the consumer name from its groups');
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function retryKey(stream: string, id: string): string {
  return `${stream}\n${id}`;
}

function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}
