import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type Redis from 'iovalkey';
import type CacheInterceptor from 'undici/types/cache-interceptor';
import type { RedisCacheStore } from 'undici-cache-redis';

type CacheKey = CacheInterceptor.CacheKey;

const SETUP_GRACE_MS = 1_000;

export interface TrackingWatchdogOptions {
  /**
   * Builds a store whose connections carry `connectionName` (the watchdog finds them by it in CLIENT LIST) and whose
   * keys live under `generation` (a segment of the key prefix).
   */
  readonly build: (connectionName: string, generation: string) => RedisCacheStore;
  /** A connection of the watchdog's own, to the same Redis. */
  readonly monitor: Redis;
  readonly namePrefix: string;
  /** The Redis key holding the shared generation every instance keys its entries under. */
  readonly generationKey: string;
  /** Whether the stores use client-side caching, whose invalidations the watchdog then verifies. Default true. */
  readonly tracking?: boolean;
  /** How long the first lookups wait for the store to join the shared generation. Default 1 s. */
  readonly joinTimeoutMs?: number;
  /** How often tracking and the generation are verified. Default 1 s. */
  readonly checkIntervalMs?: number;
  readonly onRebuild?: (reason: string) => void;
  readonly onError?: (error: Error) => void;
  /** Told of a store being replaced or dropped, before it is closed (to stop its reconnecting). */
  readonly retire?: (store: RedisCacheStore) => void;
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
 * This store delegates to a RedisCacheStore and watches it from a connection of its own (one or two cheap commands a
 * second):
 * - tracking: CLIENT LIST must show the store's main connection tracking with its redirect at the store's live
 *   subscriber once the store has had a moment to set itself up; otherwise the store is replaced (new tracking, empty
 *   process memory), so a hit nobody can invalidate lasts a second or two, never until max-age;
 * - outages: invalidations made while Redis was unreachable are lost (a deleteTags that failed, an event consumer
 *   that gave up), and Redis may come back with what it held (persistence, a replica). So when the connection drops
 *   the store is closed and the cache is off (lookups are misses, nothing is stored, deletes fail so their callers
 *   retry); when it is back the store fences the shared layer: it increments the generation in Redis and keys
 *   everything under the new one, so nothing from before the outage is read again (it expires by its own
 *   lifetime). Other instances see the new generation within a check interval and follow, emptying their memory.
 */
export class TrackedRedisCacheStore implements CacheInterceptor.CacheStore {
  #current: RedisCacheStore | undefined;
  #generation: number | undefined;
  #name: string;
  #builtAt = Date.now();
  #rebuilds = 0;
  #closed = false;
  readonly #timer: NodeJS.Timeout;
  #wasDisconnected = false;
  /** Coming back must fence: the connection dropped since the generation was last read. */
  #fenceOnJoin = false;
  /** Counts connection losses, so a join that one overtook (a command queued before it) counts for nothing. */
  #cuts = 0;
  #joining: Promise<void> | undefined;
  readonly #joined: Promise<void>;

  constructor(private readonly options: TrackingWatchdogOptions) {
    this.#name = this.#nextName();
    this.#timer = setInterval(() => void this.check(), options.checkIntervalMs ?? 1_000);
    this.#timer.unref();
    options.monitor.on('close', () => {
      if (this.#wasDisconnected || this.#closed) return;
      this.#wasDisconnected = true;
      this.#fenceOnJoin = true;
      this.#cuts += 1;
      // Cut off: nothing this process holds can be invalidated any more, and nothing it stores would be fenced.
      this.#drop('Redis connection lost');
    });
    options.monitor.on('ready', () => {
      if (!this.#wasDisconnected || this.#closed) return;
      this.#wasDisconnected = false;
      void this.#join();
    });
    const joinTimeoutMs = options.joinTimeoutMs ?? 1_000;
    this.#joined = Promise.race([this.#join(), new Promise<void>((resolve) => setTimeout(resolve, joinTimeoutMs).unref())]);
  }

  /** The store in use now, if any (none while Redis is unreachable). */
  get current(): RedisCacheStore | undefined {
    return this.#current;
  }

  /** The shared generation in use, if any. */
  get generation(): number | undefined {
    return this.#generation;
  }

  /** The connection name of the store in use (CLIENT LIST shows it on both of its connections). */
  get connectionName(): string {
    return this.#name;
  }

  get rebuilds(): number {
    return this.#rebuilds;
  }

  /** Resolves once the first attempt to join the shared generation is over (joined, or given up for now). */
  ready(): Promise<void> {
    return this.#joined;
  }

  async get(key: CacheKey): Promise<CacheInterceptor.GetResult | undefined> {
    await this.#joined;
    const store = this.#current;
    if (!store) return undefined;
    try {
      return await store.get(key);
    } catch (error) {
      // A store being replaced may fail a lookup; a miss is the safe answer.
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
  }

  createWriteStream(key: CacheKey, value: CacheInterceptor.CacheValue): Writable | undefined {
    // The two packages type the same structure separately (undici allows null Vary values).
    return this.#current?.createWriteStream(key, value as Parameters<RedisCacheStore['createWriteStream']>[1]);
  }

  async delete(key: CacheKey): Promise<void> {
    await this.#current?.delete(key);
  }

  /**
   * Verifies once: joins the shared generation when not in one, follows a newer one another instance fenced, and
   * replaces a store that is not tracking after its set-up time. True when the store is in use and healthy.
   */
  async check(): Promise<boolean> {
    if (this.#closed) return true;
    try {
      if (this.#generation === undefined) {
        if (!this.#wasDisconnected) await this.#join();
        return false;
      }
      const tracking = this.options.tracking ?? true;
      const [latest, list] = await Promise.all([this.options.monitor.get(this.options.generationKey), tracking ? this.options.monitor.call('CLIENT', 'LIST') : undefined]);
      const generation = Number(latest ?? 0);
      if (this.#generation !== undefined && generation > this.#generation) {
        this.#use(generation, 'another instance fenced the cache after losing Redis');
        return false;
      }
      if (!tracking) return true;
      const healthy = namesTrackingInvalidations(String(list)).has(this.#name);
      // Set-up is three commands on a fresh connection: a store younger than this may still be doing it.
      if (!healthy && Date.now() - this.#builtAt >= SETUP_GRACE_MS) this.#use(this.#generation, 'client-side caching is not tracking invalidations');
      return healthy;
    } catch (error) {
      // Redis unreachable: nothing can be verified, and the reconnect handler rejoins when it is back.
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    const store = this.#current;
    this.#current = undefined;
    if (store) {
      this.options.retire?.(store);
      await store.close();
    }
  }

  /** Reads the shared generation, or increments it when coming back from an outage, and builds a store under it. */
  #join(): Promise<void> {
    this.#joining ??= (async () => {
      const fence = this.#fenceOnJoin;
      const cuts = this.#cuts;
      try {
        const generation = fence ? await this.options.monitor.incr(this.options.generationKey) : Number(await this.options.monitor.incrby(this.options.generationKey, 0));
        if (this.#closed || this.#wasDisconnected || this.#cuts !== cuts) return;
        this.#fenceOnJoin = false;
        this.#use(generation, fence ? 'Redis connection re-established: entries from before are fenced off' : undefined);
      } catch (error) {
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.#joining = undefined;
      }
      // Overtaken by a connection loss: join again, fencing, now that the connection is back.
      if (!this.#closed && !this.#wasDisconnected && this.#cuts !== cuts && this.#generation === undefined) await this.#join();
    })();
    return this.#joining;
  }

  /** Replaces the store with a fresh one under `generation` (empty process memory, tracking set up anew). */
  #use(generation: number, reason: string | undefined): void {
    if (this.#closed) return;
    const previous = this.#current;
    this.#name = this.#nextName();
    this.#generation = generation;
    this.#current = this.options.build(this.#name, `g${generation}`);
    this.#builtAt = Date.now();
    if (previous) {
      this.#rebuilds += 1;
      this.#closeQuietly(previous);
    }
    if (reason) this.options.onRebuild?.(reason);
  }

  #drop(reason: string): void {
    const previous = this.#current;
    this.#current = undefined;
    this.#generation = undefined;
    if (previous) {
      this.#rebuilds += 1;
      this.#closeQuietly(previous);
      this.options.onRebuild?.(reason);
    }
  }

  #closeQuietly(store: RedisCacheStore): void {
    this.options.retire?.(store);
    store.close().catch((error: unknown) => this.options.onError?.(error instanceof Error ? error : new Error(String(error))));
  }

  #nextName(): string {
    return `${this.options.namePrefix}-${randomUUID().slice(0, 8)}`;
  }
}
