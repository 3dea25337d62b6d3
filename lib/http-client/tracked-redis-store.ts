import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type Redis from 'iovalkey';
import type CacheInterceptor from 'undici/types/cache-interceptor';
import type { RedisCacheStore } from 'undici-cache-redis';

type CacheKey = CacheInterceptor.CacheKey;

const SETUP_GRACE_MS = 1_000;

export interface TrackingWatchdogOptions {
  /** Builds a store whose connections carry `connectionName` (the watchdog finds them by it in CLIENT LIST). */
  readonly build: (connectionName: string) => RedisCacheStore;
  /** A connection of the watchdog's own, to the same Redis. */
  readonly monitor: Redis;
  readonly namePrefix: string;
  /** How often tracking is verified. Default 1 s. */
  readonly checkIntervalMs?: number;
  readonly onRebuild?: (reason: string) => void;
  readonly onError?: (error: Error) => void;
}

interface ClientInfo {
  readonly id: string;
  readonly name: string;
  readonly flags: string;
  readonly redir: string;
}

function parseClientList(list: string): ClientInfo[] {
  return list
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = new Map(line.split(' ').map((field) => [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)]));
      return { id: fields.get('id') ?? '', name: fields.get('name') ?? '', flags: fields.get('flags') ?? '', redir: fields.get('redir') ?? '-1' };
    });
}

/**
 * The connection names, in a CLIENT LIST reply, of the stores whose main connection tracks with its redirect
 * at the same store's live subscriber connection: the stores that will hear of another process's changes.
 */
export function namesTrackingInvalidations(list: string): Set<string> {
  const clients = parseClientList(list);
  const subscribers = new Map(clients.filter((client) => client.flags.includes('P')).map((client) => [client.id, client.name]));
  return new Set(clients.filter((client) => client.flags.includes('t') && subscribers.get(client.redir) === client.name).map((client) => client.name));
}

/**
 * undici-cache-redis keeps hits in process memory and relies on Redis client-side caching (CLIENT TRACKING with
 * REDIRECT to its subscriber connection) to learn when another process changes or deletes an entry. It sets that
 * up once, at construction, and never again: a set-up that times out (a stalled event loop at start-up), a Redis
 * restart, or a reconnect of either connection leaves the process serving entries nobody will invalidate.
 *
 * This store delegates to a RedisCacheStore and watches, from a connection of its own, that CLIENT LIST shows
 * the store's main connection tracking with its redirect pointing at the store's live subscriber (one cheap
 * command a second). When that is not so once the store has had a moment to set itself up, or right after Redis
 * comes back, it replaces the store with a fresh one (new tracking, empty process memory): a hit nobody can
 * invalidate lasts a second or two, never until max-age.
 */
export class TrackedRedisCacheStore implements CacheInterceptor.CacheStore {
  #current: RedisCacheStore;
  #name: string;
  #builtAt = Date.now();
  #rebuilds = 0;
  #closed = false;
  readonly #timer: NodeJS.Timeout;
  #wasDisconnected = false;

  constructor(private readonly options: TrackingWatchdogOptions) {
    this.#name = this.#nextName();
    this.#current = options.build(this.#name);
    this.#timer = setInterval(() => void this.check(), options.checkIntervalMs ?? 1_000);
    this.#timer.unref();
    options.monitor.on('close', () => {
      this.#wasDisconnected = true;
    });
    options.monitor.on('ready', () => {
      if (!this.#wasDisconnected || this.#closed) return;
      this.#wasDisconnected = false;
      // Redis (or the network to it) came back: whatever tracking the store had is gone with its connections.
      this.#rebuild('Redis connection re-established');
    });
  }

  /** The store in use now (tests, and the cache operations that need the library's own API). */
  get current(): RedisCacheStore {
    return this.#current;
  }

  /** The connection name of the store in use (CLIENT LIST shows it on both of its connections). */
  get connectionName(): string {
    return this.#name;
  }

  get rebuilds(): number {
    return this.#rebuilds;
  }

  async get(key: CacheKey): Promise<CacheInterceptor.GetResult | undefined> {
    try {
      return await this.#current.get(key);
    } catch (error) {
      // A store being replaced may fail a lookup; a miss is the safe answer.
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
  }

  createWriteStream(key: CacheKey, value: CacheInterceptor.CacheValue): Writable | undefined {
    // The two packages type the same structure separately (undici allows null Vary values).
    return this.#current.createWriteStream(key, value as Parameters<RedisCacheStore['createWriteStream']>[1]);
  }

  delete(key: CacheKey): Promise<void> {
    return this.#current.delete(key);
  }

  /** Verifies tracking once; replaces the store when it is not tracking after its set-up time. */
  async check(): Promise<boolean> {
    if (this.#closed) return true;
    let healthy: boolean;
    try {
      healthy = namesTrackingInvalidations(String(await this.options.monitor.call('CLIENT', 'LIST'))).has(this.#name);
    } catch (error) {
      // Redis unreachable: nothing can be verified, and the reconnect handler rebuilds when it is back.
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
    // Set-up is three commands on a fresh connection: a store younger than this may still be doing it.
    if (!healthy && Date.now() - this.#builtAt >= SETUP_GRACE_MS) this.#rebuild('client-side caching is not tracking invalidations');
    return healthy;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#current.close();
  }

  #rebuild(reason: string): void {
    if (this.#closed) return;
    const previous = this.#current;
    this.#name = this.#nextName();
    this.#current = this.options.build(this.#name);
    this.#builtAt = Date.now();
    this.#rebuilds += 1;
    this.options.onRebuild?.(reason);
    previous.close().catch((error: unknown) => this.options.onError?.(error instanceof Error ? error : new Error(String(error))));
  }

  #nextName(): string {
    return `${this.options.namePrefix}-${randomUUID().slice(0, 8)}`;
  }
}
