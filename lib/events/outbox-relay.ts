import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '../logging';
import { InvalidEventError, parseEnvelope, type AnyEventEnvelope } from './envelope';
import type { EventBus } from './event-bus';
import type { OutboxWriter } from './outbox-writer';
import { deleteOutboxRows, parkOutboxRow, queryPendingOutbox, type PendingOutboxRow } from './outbox-store';

/** Where a context's outbox lives and where its events go. */
export interface OutboxTarget {
  readonly bus: EventBus;
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly logger: Logger;
}

/**
 * The relay step every path shares (after commit, sweep, DynamoDB Stream): publish the events, then delete
 * their outbox rows. Publishing first makes delivery at least once: if the delete fails or the process dies in
 * between, the rows stay and are published again later, and consumers deduplicate by event id.
 */
export async function publishOutboxEvents(target: OutboxTarget, envelopes: readonly AnyEventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  await target.bus.publish(envelopes);
  await deleteOutboxRows(target.doc, target.tableName, envelopes.map((envelope) => envelope.id));
}

/**
 * Reads stored rows back into envelopes, as committed (validated, not rewritten: outbox-record.ts promises that
 * what is published is what was committed); a row that no longer validates is parked and left out.
 */
export async function envelopesFromOutboxRows(target: OutboxTarget, rows: readonly PendingOutboxRow[]): Promise<AnyEventEnvelope[]> {
  const envelopes: AnyEventEnvelope[] = [];
  for (const row of rows) {
    try {
      const committed: unknown = JSON.parse(row.event);
      parseEnvelope(committed);
      envelopes.push(committed as AnyEventEnvelope);
    } catch (error) {
      if (!(error instanceof InvalidEventError) && !(error instanceof SyntaxError)) throw error;
      target.logger.error({ eventId: row.eventId, err: error }, 'outbox row holds an invalid event; parked, not published');
      await parkOutboxRow(target.doc, target.tableName, row.eventId, (error as Error).message);
    }
  }
  return envelopes;
}

export interface OutboxRelayOptions extends OutboxTarget {
  /**
   * The sweep only takes rows whose event occurred at least this long ago, so it does not race the publish
   * right after commit (which normally deletes the row within milliseconds).
   */
  readonly minAgeMs?: number;
  /** Rows per query and publish call. */
  readonly pageSize?: number;
  /** Pages per sweep, so one sweep of a large backlog does not run unbounded. */
  readonly maxPagesPerSweep?: number;
}

export const OUTBOX_RELAY_DEFAULTS = { minAgeMs: 5000, pageSize: 25, maxPagesPerSweep: 40, intervalMs: 5000 } as const;

/** Envelopes per publish call on the fast path: what one PutEvents or MULTI of XADDs takes comfortably. */
const MAX_FAST_PATH_BATCH = 100;

/**
 * Publishes a context's outbox (docs/architecture.md §4): right after each commit (attach), and by a periodic sweep of
 * the rows left behind when that did not happen (a crash between commit and publish, the bus down).
 *
 * The fast path publishes in commit order: transactions committed while a publish is on the wire wait and go
 * out together in the next call (group commit), so an aggregate's events reach the bus in the order they were
 * committed (CONFIRMED before COMPLETED) without a publish per transaction. The sweep leaves alone the rows the
 * fast path of this process is publishing or has published since the sweep began: it would otherwise publish
 * them a second time, possibly after a later event of the same aggregate.
 */
export class OutboxRelay {
  private readonly queued: AnyEventEnvelope[] = [];
  private draining: Promise<void> | undefined;
  /** Event ids the fast path holds (queued or on the wire). */
  private readonly fastPathIds = new Set<string>();
  /** Event ids the fast path finished while a sweep runs (the sweep may have listed their rows before the delete). */
  private readonly finishedDuringSweep = new Set<string>();
  private sweeping: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  /** Publishes each committed transaction's events right away (failures leave the rows for the sweep). */
  attach(writer: OutboxWriter): void {
    writer.onCommitted((envelopes) => this.enqueue(envelopes));
  }

  /** The fast path; never rejects. Resolves once these envelopes were published (or left for the sweep). */
  relayCommitted(envelopes: readonly AnyEventEnvelope[]): Promise<void> {
    return this.enqueue(envelopes);
  }

  private enqueue(envelopes: readonly AnyEventEnvelope[]): Promise<void> {
    for (const envelope of envelopes) {
      this.queued.push(envelope);
      this.fastPathIds.add(envelope.id);
    }
    this.draining ??= this.drain();
    return this.draining;
  }

  private async drain(): Promise<void> {
    // Callers of enqueue() made during this drain share its promise, which settles once the queue is empty and
    // the rows it published are deleted (or left for the sweep).
    const deletes: Promise<void>[] = [];
    for (;;) {
      while (this.queued.length > 0) {
        const batch = this.queued.splice(0, MAX_FAST_PATH_BATCH);
        try {
          await this.options.bus.publish(batch);
        } catch (error) {
          this.options.logger.warn(
            { err: error, eventIds: batch.map((envelope) => envelope.id) },
            'could not publish events right after commit; the outbox sweep will publish them',
          );
          this.finish(batch);
          continue;
        }
        // Deleting does not hold the next publish back: order only matters on the bus.
        deletes.push(
          deleteOutboxRows(this.options.doc, this.options.tableName, batch.map((envelope) => envelope.id))
            .catch((error: unknown) => {
              this.options.logger.warn({ err: error }, 'published events whose outbox rows could not be deleted; the sweep publishes them again');
            })
            .finally(() => this.finish(batch)),
        );
      }
      await Promise.allSettled(deletes.splice(0));
      if (this.queued.length === 0) break;
    }
    this.draining = undefined;
  }

  private finish(batch: readonly AnyEventEnvelope[]): void {
    for (const envelope of batch) {
      this.fastPathIds.delete(envelope.id);
      if (this.sweeping) this.finishedDuringSweep.add(envelope.id);
    }
  }

  /**
   * Publishes pending rows older than minAgeMs, oldest first, page by page, deleting each page once published.
   * Resolves with the number published; rejects when publishing fails (the rows stay). Calls made while a sweep
   * runs share it.
   */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = undefined;
      this.finishedDuringSweep.clear();
    });
    return this.sweeping;
  }

  /** Sweeps every intervalMs until stop(). */
  start(intervalMs: number = OUTBOX_RELAY_DEFAULTS.intervalMs): void {
    if (this.running) return;
    this.running = true;
    const tick = () => {
      this.sweep()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'outbox sweep failed; retrying at the next interval'))
        .finally(() => {
          if (!this.running) return;
          this.timer = setTimeout(tick, intervalMs);
          // The sweep alone never keeps a process alive; servers and consumers do.
          this.timer.unref();
        });
    };
    tick();
  }

  /** Stops the sweep and waits for the sweep and the publishes in progress. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([this.sweeping, this.draining]);
  }

  private async sweepOnce(): Promise<number> {
    const pageSize = this.options.pageSize ?? OUTBOX_RELAY_DEFAULTS.pageSize;
    const maxPages = this.options.maxPagesPerSweep ?? OUTBOX_RELAY_DEFAULTS.maxPagesPerSweep;
    const before = new Date(Date.now() - (this.options.minAgeMs ?? OUTBOX_RELAY_DEFAULTS.minAgeMs)).toISOString();
    let published = 0;
    let after: string | undefined;
    for (let page = 0; page < maxPages; page += 1) {
      const { rows, nextAfter } = await queryPendingOutbox(this.options.doc, this.options.tableName, { before, limit: pageSize, after });
      const leftBehind = rows.filter((row) => !this.fastPathIds.has(row.eventId) && !this.finishedDuringSweep.has(row.eventId));
      const envelopes = await envelopesFromOutboxRows(this.options, leftBehind);
      await publishOutboxEvents(this.options, envelopes);
      published += envelopes.length;
      if (!nextAfter) break;
      after = nextAfter;
    }
    if (published > 0) this.options.logger.info({ published }, 'outbox sweep published events left behind');
    return published;
  }
}
