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
  private readonly listeners = new Map<string, Set<OrderStatusListener>>();
  /** Per-channel SUBSCRIBE/UNSUBSCRIBE in flight, so a quick watch/unwatch/watch applies in order. */
  private readonly pending = new Map<string, Promise<unknown>>();

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
    void next.finally(() => {
      if (this.pending.get(channel) === next) this.pending.delete(channel);
    });
    return next;
  }

  async watch(orderId: string, listener: OrderStatusListener): Promise<() => Promise<void>> {
    const channel = this.channel(orderId);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    if (set.size === 1) {
      await this.serialised(channel, async () => {
        if (this.listeners.get(channel)?.size) await this.subscriber.subscribe(channel);
      });
    } else {
      await this.pending.get(channel);
    }
    let stopped = false;
    return async () => {
      if (stopped) return;
      stopped = true;
      const current = this.listeners.get(channel);
      current?.delete(listener);
      if (current && current.size === 0) {
        this.listeners.delete(channel);
        await this.serialised(channel, async () => {
          if (!this.listeners.has(channel)) await this.subscriber.unsubscribe(channel);
        });
      }
    };
  }

  async publish(message: OrderStatusMessage): Promise<void> {
    await this.publisher.publish(this.channel(message.orderId), JSON.stringify(message));
  }

  stats(): { orders: number; listeners: number } {
    let listeners = 0;
    for (const set of this.listeners.values()) listeners += set.size;
    return { orders: this.listeners.size, listeners };
  }

  /** Channels this instance is subscribed to in Redis right now (PUBSUB's view of this connection). */
  async redisSubscriptionCount(): Promise<number> {
    const channels = (await this.publisher.pubsub('CHANNELS', `${this.channelPrefix}*`)) as string[];
    return channels.length;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.allSettled([...this.pending.values()]);
    this.subscriber.disconnect();
    this.publisher.disconnect();
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
    for (const listener of set) listener(message);
  }
}
