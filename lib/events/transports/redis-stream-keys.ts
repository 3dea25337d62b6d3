/**
 * Key layout of the Redis Streams transport under one prefix (default `ecommerce:events`):
 * - `<prefix>:<type>`                one stream per event type; each consuming context is a consumer group on
 *                                    the streams of the types it handles, so a context can subscribe several
 *                                    times with different types without its subscriptions taking each other's events
 * - `<prefix>:dead-letter:<group>`   what a consumer group gave up on
 * Event types contain no `:`, so a type stream can never collide with a dead-letter stream.
 */
export const DEFAULT_STREAM_PREFIX = 'ecommerce:events';

export function eventStreamKey(prefix: string, type: string): string {
  return `${prefix}:${type}`;
}

export function deadLetterStreamKey(prefix: string, group: string): string {
  return `${prefix}:dead-letter:${group}`;
}
