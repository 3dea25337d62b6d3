import type { OrderStatusMessage } from './order-status-message';

/** How long a subscription waits for a missing version before delivering what came after it. */
export const DEFAULT_REORDER_WINDOW_MS = 250;

/** Event ids a subscription remembers to drop redeliveries; far more than one order's status events. */
const MAX_REMEMBERED_EVENTS = 32;

/**
 * Puts one order's status updates in version order for one subscriber (docs/architecture.md §4: "Order status events carry the
 * order's version so consumers can keep their order"). Delivery is at least once and transports do not keep order
 * across event types, so an update may arrive twice, or CONFIRMED after COMPLETED:
 * - a redelivered event (same id) and any version at or below the last one delivered are dropped, so a subscriber
 *   never sees an older status after a newer one;
 * - an update that skips a version (v3 right after v1) waits up to `windowMs` for the missing one, then goes out
 *   alone: the missing update is then dropped if it still comes;
 * - updates without a version (published before versions existed) pass straight through.
 * `after` is a version the subscriber is known to have seen already (its updates are dropped as replays).
 */
export class VersionOrder {
  private lastVersion: number | undefined;
  private readonly held = new Map<number, OrderStatusMessage>();
  private readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deliver: (message: OrderStatusMessage) => void,
    options: { readonly windowMs?: number | undefined; readonly after?: number | undefined } = {},
  ) {
    this.windowMs = options.windowMs ?? DEFAULT_REORDER_WINDOW_MS;
    this.lastVersion = options.after;
  }

  private readonly windowMs: number;

  accept(message: OrderStatusMessage): void {
    if (this.seen.has(message.eventId)) return;
    this.seen.add(message.eventId);
    if (this.seen.size > MAX_REMEMBERED_EVENTS) this.seen.delete(this.seen.values().next().value as string);
    const { version } = message;
    if (version === undefined) {
      this.deliver(message);
      return;
    }
    if (this.lastVersion !== undefined && version <= this.lastVersion) return;
    if (this.lastVersion === undefined || version === this.lastVersion + 1) {
      this.emit(message, version);
      this.releaseConsecutive();
      return;
    }
    this.held.set(version, message);
    this.timer ??= setTimeout(() => this.releaseAll(), this.windowMs);
  }

  /** Stops the reorder timer (the subscription ended); held updates are dropped with it. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.held.clear();
  }

  private emit(message: OrderStatusMessage, version: number): void {
    this.lastVersion = version;
    this.deliver(message);
  }

  private releaseConsecutive(): void {
    for (let next = this.held.get(this.lastVersion! + 1); next; next = this.held.get(this.lastVersion! + 1)) {
      this.held.delete(this.lastVersion! + 1);
      this.emit(next, this.lastVersion! + 1);
    }
    if (this.held.size === 0) this.close();
  }

  private releaseAll(): void {
    this.timer = undefined;
    const versions = [...this.held.keys()].sort((a, b) => a - b);
    for (const version of versions) {
      const message = this.held.get(version)!;
      this.held.delete(version);
      if (this.lastVersion === undefined || version > this.lastVersion) this.emit(message, version);
    }
  }
}
