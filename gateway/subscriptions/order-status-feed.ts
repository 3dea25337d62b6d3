import { EventEmitter } from 'node:events';
import type Redis from 'iovalkey';
import type { Logger } from '../../lib/logging';
import { orderStatusMessage, type OrderStatusMessage } from './order-status-message';

export type OrderStatusListener = (message: OrderStatusMessage) => void;

/**
 * Where a gateway instance hears about status changes of the orders its clients watch. `watch` returns the
 * function that stops watching; the feed holds resources only for orders someone watches, so an update of an
 * unwatched order costs this instance nothing.
 */
export interface OrderStatusFeed {
  watch(orderId: string, listener: OrderStatusListener): Promise<() => Promise<void>>;
  /** Delivers a status change to every instance's watchers (Redis: to every gateway instance). */
  publish(message: OrderStatusMessage): Promise<void>;
  /** Orders watched now and listeners registered now: what the clean-up assertions measure. */
  stats(): { orders: number; listeners: number };
  close(): Promise<void>;
}

/**
 * The one way a status change goes onto Redis: the channel of its order, the message as JSON. Gateway instances
 * publish through their feed; the fan-out Lambda, which never subscribes, publishes through this alone.
 */
export function publishOrderStatus(redis: Pick<Redis, 'publish'>, channelPrefix: string, message: OrderStatusMessage): Promise<number> {
  return redis.publish(`${channelPrefix}${message.orderId}`, JSON.stringify(message));
}

/** Single-process runs without Redis: an in-memory emitter. */
export class InProcessOrderStatusFeed implements OrderStatusFeed {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async watch(orderId: string, listener: OrderStatusListener): Promise<() => Promise<void>> {
    this.emitter.on(orderId, listener);
    return async () => {
      this.emitter.off(orderId, listener);
    };
  }

  async publish(message: OrderStatusMessage): Promise<void> {
    this.emitter.emit(message.orderId, message);
  }

  stats(): { orders: number; listeners: number } {
    const orders = this.emitter.eventNames();
    return { orders: orders.length, listeners: orders.reduce((sum, name) => sum + this.emitter.listenerCount(name), 0) };
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/**
 * Every gateway instance shares status changes through Redis pub/sub, one channel per order. An instance
 * SUBSCRIBEs to an order's channel when its first client starts watching it and UNSUBSCRIBEs when the last one
 * leaves, so Redis only sends each instance the orders its clients watch.
 */
export class RedisOrderStatusFeed implements OrderStatusFeed {
  /** Per channel, one entry per watch() call (the same function watched twice is two listeners, as in-process). */
  private readonly listeners = new Map<string, Set<{ readonly listener: OrderStatusListener }>>();
  /** Per-channel SUBSCRIBE/UNSUBSCRIBE in flight, so a quick watch/unwatch/watch applies in order. */
  private readonly pending = new Map<string, Promise<unknown>>();
  /** Channels SUBSCRIBEd on the subscriber connection (iovalkey re-subscribes them after a reconnect). */
  private readonly subscribed = new Set<string>();
  private closed = false;
  private closing: Promise<void> | undefined;

  /**
   * @param subscriber a connection used only for SUBSCRIBE; give it a `connectionName` unique to this instance
   * (createOrderStatusFeed does), which is how `redisSubscriptionCount` finds it in CLIENT LIST.
   */
  constructor(
    private readonly subscriber: Redis,
    private readonly publisher: Redis,
    private readonly channelPrefix: string,
    private readonly logger: Logger,
  ) {
    subscriber.on('message', (channel: string, raw: string) => this.dispatch(channel, raw));
  }

  private channel(orderId: string): string {
    return `${this.channelPrefix}${orderId}`;
  }

  private serialised(channel: string, operation: () => Promise<unknown>): Promise<unknown> {
    const next = (this.pending.get(channel) ?? Promise.resolve()).then(operation, operation);
    this.pending.set(channel, next);
    // The caller awaits `next` and sees its failure; this bookkeeping branch must not be a second, unhandled one.
    const forget = () => {
      if (this.pending.get(channel) === next) this.pending.delete(channel);
    };
    next.then(forget, forget);
    return next;
  }

  async watch(orderId: string, listener: OrderStatusListener): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('the order status feed is closed');
    const channel = this.channel(orderId);
    const entry = { listener };
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(entry);
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      const current = this.listeners.get(channel);
      if (!current?.delete(entry) || current.size > 0) return;
      this.listeners.delete(channel);
      if (this.closed) return;
      await this.serialised(channel, async () => {
        if (this.listeners.has(channel) || !this.subscribed.has(channel)) return;
        this.subscribed.delete(channel);
        await this.subscriber.unsubscribe(channel);
      });
    };
    try {
      // Every watcher waits for the SUBSCRIBE in flight (queued behind it, its own step finds the channel
      // subscribed and does nothing): only then can no message of the channel be missed.
      await this.serialised(channel, async () => {
        if (!this.listeners.get(channel)?.size || this.subscribed.has(channel)) return;
        await this.subscriber.subscribe(channel);
        this.subscribed.add(channel);
      });
    } catch (error) {
      await stop().catch(() => undefined);
      throw error;
    }
    return stop;
  }

  async publish(message: OrderStatusMessage): Promise<void> {
    await publishOrderStatus(this.publisher, this.channelPrefix, message);
  }

  stats(): { orders: number; listeners: number } {
    let listeners = 0;
    for (const set of this.listeners.values()) listeners += set.size;
    return { orders: this.listeners.size, listeners };
  }

  /**
   * Channels this instance's subscriber connection holds in Redis right now, as Redis reports it (CLIENT LIST,
   * `sub=`): what the clean-up assertions compare. PUBSUB CHANNELS would count every instance's channels.
   */
  async redisSubscriptionCount(): Promise<number> {
    const name = this.subscriber.options.connectionName;
    if (!name) throw new Error('the subscriber connection needs a unique connectionName to be found in CLIENT LIST');
    const list = String(await this.publisher.client('LIST', 'TYPE', 'PUBSUB'));
    const line = list.split('\n').find((entry) => entry.split(' ').includes(`name=${name}`));
    // No pubsub-type client with that name: the connection holds no subscription (or is not connected).
    return line ? Number(/(?:^| )sub=(\d+)/.exec(line)?.[1] ?? 0) : 0;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await Promise.allSettled([...this.pending.values()]);
    // iovalkey arms a timer on every disconnect() that only a closing socket clears: never call it on an ended one.
    for (const connection of [this.subscriber, this.publisher]) {
      if (connection.status !== 'end') connection.disconnect();
    }
  }

  private dispatch(channel: string, raw: string): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    let message: OrderStatusMessage;
    try {
      message = orderStatusMessage.parse(JSON.parse(raw));
    } catch (error) {
      this.logger.warn({ err: error, channel }, 'ignoring a malformed order status message');
      return;
    }
    for (const { listener } of set) listener(message);
  }
}
