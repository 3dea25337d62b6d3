import type Redis from 'iovalkey';
import type { Logger } from '../../lib/logging';

/** Who may be served an entry: anyone (PUBLIC) or only the caller it was made for (PRIVATE, keyed by `sub`). */
export type CacheScope = 'PUBLIC' | 'PRIVATE';

export interface CacheEntry {
  /** The cached JSON text. */
  readonly value: string;
  readonly scope: CacheScope;
  /** Epoch milliseconds after which the entry is not served. */
  readonly expiresAt: number;
  readonly tags: readonly string[];
}

interface LocalEntry extends CacheEntry {
  /** The parsed value, kept for readers that promise not to mutate it (whole responses). */
  parsed?: unknown;
}

export interface TaggedCacheOptions {
  /** Entries kept in this process; the oldest go first beyond it. */
  readonly maxEntries: number;
  /** Shared layer: every gateway instance reads and fills it, and hears every invalidation through it. */
  readonly redis?: { readonly client: Redis; readonly subscriber: Redis; readonly prefix: string } | undefined;
  readonly logger: Logger;
  /**
   * A second invalidation this long after the first drops what a fetch already under way at the first one stored
   * from data read before the change ("delayed double delete"), so a change shows within this time.
   */
  readonly repeatInvalidationMs?: number;
  readonly now?: () => number;
}

/** Where the gateway's shared cache lives in Redis, and the prefix of its invalidation channel. */
export function gatewayCachePrefix(config: { readonly namespace: string }): string {
  return `${config.namespace}gateway-cache:`;
}

/** Values larger than this are not cached (they would crowd out many small entries for little gain). */
const MAX_VALUE_BYTES = 256 * 1024;

/**
 * A tag becomes a Redis key and a member of an invalidation message: `product:<uuid>`, `products`, `category:<name>`.
 * Subgraphs tag only what they recognise (lib/events/product-changes.ts), so anything longer or stranger came from
 * client input that slipped through; an entry carrying it is not stored rather than indexed under it.
 */
const TAG = /^[\x21-\x7e]{1,128}$/;
/** A full page of products is 101 tags; a response past this many is not worth indexing. */
const MAX_TAGS = 1_000;

export function isWellFormedTag(tag: string): boolean {
  return TAG.test(tag);
}

/**
 * The gateway's cache of subgraph data: whole responses and entities, each tagged with what it was made from
 * (`product:<id>`, `products`). A bounded map in each process in front of Redis shared by all instances; an
 * invalidation deletes by tag in Redis and is broadcast on a Redis channel so every instance drops its local copies.
 * Without Redis it is the local map alone. Redis failures are misses, never request errors.
 *
 * Invalidations must survive a Redis outage (a restart, a failover, a partition of one instance): while an instance
 * is cut off it neither hears broadcasts nor reaches Redis, so what it or Redis holds may be stale by the time it is
 * back. So, with Redis configured, the cache is used only while both connections are up and subscribed: when either
 * drops, the local map is emptied and the cache is off (every lookup a miss, nothing stored); when both are back,
 * the instance fences the shared layer before using it again. Shared entries live under a generation
 * (`<prefix>generation` in Redis, part of every entry and tag key): coming back, an instance increments it and
 * announces the new one on the channel, so entries written before the outage are never read again (they expire by
 * their max-age) and every instance that hears the announcement empties its local map.
 */
export class TaggedCache {
  private readonly local = new Map<string, LocalEntry>();
  private readonly byTag = new Map<string, Set<string>>();
  private readonly now: () => number;
  private epochValue = 0;
  private readonly repeatDue = new Map<string, number>();
  /** Tags whose repeat has left `repeatDue` and is deleting in Redis now. */
  private repeatsRunning = 0;
  private repeatTimer: NodeJS.Timeout | undefined;
  /** The shared layer's generation in use; undefined until known (then the cache is off). */
  private generation: number | undefined;
  /** Both connections up, subscribed, and the generation known: the cache is on. Always true without Redis. */
  private online: boolean;
  /** Whether coming back must fence the shared layer (true once either connection has dropped). */
  private fenceOnReturn = false;
  /** Counts cut-offs, so a sync that one overtook does not turn the cache back on. */
  private cuts = 0;
  private syncing: Promise<void> | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: TaggedCacheOptions) {
    this.now = options.now ?? Date.now;
    const redis = options.redis;
    this.online = redis === undefined;
    if (redis) {
      redis.subscriber.on('message', (channel: string, message: string) => {
        if (channel !== this.channel()) return;
        try {
          this.receive(JSON.parse(message) as unknown);
        } catch (error) {
          options.logger.warn({ err: error }, 'response cache: ignoring a malformed invalidation message');
        }
      });
      for (const connection of [redis.client, redis.subscriber]) {
        connection.on('close', () => this.cutOff());
        connection.on('ready', () => void this.sync());
      }
      // Also retried while off, in case a sync attempt failed with both connections up (no further 'ready' comes).
      this.syncTimer = setInterval(() => void this.sync(), 1_000);
      this.syncTimer.unref();
      void this.sync();
    }
  }

  /** Whether the cache is in use: always without Redis; with it, only while connected and fenced (see above). */
  get available(): boolean {
    return this.online;
  }

  /** Resolves true once the cache is in use, or false after `timeoutMs` (a process just started, Redis down). */
  async whenAvailable(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.online && !this.closed && Date.now() < until) {
      await this.sync();
      if (!this.online) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.online;
  }

  /**
   * Changes whenever anything is invalidated. A writer notes it before fetching and stores only if it is unchanged,
   * so data read before a change is not stored after the change's invalidation.
   */
  get epoch(): number {
    return this.epochValue;
  }

  /** The local entry, without touching Redis (the hot path). */
  peek(key: string): LocalEntry | undefined {
    const entry = this.local.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.deleteLocal(key);
      return undefined;
    }
    return entry;
  }

  /** The entry, locally or from Redis (then kept locally until it expires). */
  async get(key: string): Promise<LocalEntry | undefined> {
    const found = this.peek(key);
    if (found || !this.options.redis || !this.online) return found;
    const epoch = this.epochValue;
    const entryKey = this.entryKey(key);
    let raw: string | null;
    try {
      raw = await this.options.redis.client.get(entryKey);
    } catch (error) {
      this.options.logger.debug({ err: error }, 'response cache: Redis read failed; treated as a miss');
      return undefined;
    }
    if (!raw) return undefined;
    const entry = decode(raw);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    if (epoch === this.epochValue) this.setLocal(key, entry);
    return entry;
  }

  /** Stores `value` for `ttlSeconds` under `tags`, locally and in Redis. */
  async set(key: string, entry: Omit<CacheEntry, 'expiresAt'> & { readonly ttlSeconds: number; readonly parsed?: unknown }): Promise<void> {
    if (entry.ttlSeconds <= 0 || entry.value.length > MAX_VALUE_BYTES) return;
    // Cut off from Redis, this instance hears no invalidations: it stores nothing until it is back.
    if (!this.online) return;
    if (entry.tags.length > MAX_TAGS || !entry.tags.every(isWellFormedTag)) {
      this.options.logger.warn({ tags: entry.tags.length, sample: entry.tags.find((tag) => !isWellFormedTag(tag))?.slice(0, 80) }, 'response cache: not storing an entry with malformed or too many tags');
      return;
    }
    const stored: LocalEntry = {
      value: entry.value,
      scope: entry.scope,
      tags: entry.tags,
      expiresAt: this.now() + entry.ttlSeconds * 1000,
      ...(entry.parsed !== undefined ? { parsed: entry.parsed } : {}),
    };
    this.setLocal(key, stored);
    const redis = this.options.redis;
    if (!redis) return;
    const ttlMs = entry.ttlSeconds * 1000;
    try {
      const pipeline = redis.client.multi();
      pipeline.set(this.entryKey(key), encode(stored), 'PX', ttlMs);
      for (const tag of stored.tags) {
        pipeline.sadd(this.tagKey(tag), key);
        // The index outlives every entry it names (entries live at most their max-age).
        pipeline.pexpire(this.tagKey(tag), ttlMs, 'GT');
        pipeline.pexpire(this.tagKey(tag), ttlMs, 'NX');
      }
      await pipeline.exec();
    } catch (error) {
      this.options.logger.debug({ err: error }, 'response cache: Redis write failed; the entry stays local');
    }
  }

  /**
   * Drops everything tagged with any of `tags`, everywhere, now and once more the repeat delay after a tag's last
   * invalidation. Within one process the epoch already keeps fetches begun before the change from storing; the repeat
   * covers another instance storing in Redis before the broadcast reached it, so it runs only with Redis. Repeats are
   * coalesced: a tag changed again and again (a hot product) is repeated once, after its last change.
   */
  async invalidate(given: readonly string[]): Promise<boolean> {
    // Nothing was ever stored under a malformed tag (set refuses them).
    const tags = given.filter(isWellFormedTag);
    if (tags.length === 0) return true;
    const everywhere = await this.invalidateOnce(tags);
    const delay = this.options.repeatInvalidationMs ?? 500;
    if (delay <= 0 || !this.options.redis) return everywhere;
    const due = this.now() + delay;
    for (const tag of tags) this.repeatDue.set(tag, due);
    this.scheduleRepeat(delay);
    return everywhere;
  }

  /** Tags whose repeat invalidation is still to run or still running (see repeatInvalidationMs). */
  pendingInvalidations(): number {
    return this.repeatDue.size + this.repeatsRunning;
  }

  private scheduleRepeat(delay: number): void {
    if (this.repeatTimer) return;
    this.repeatTimer = setTimeout(() => {
      this.repeatTimer = undefined;
      const now = this.now();
      const dueTags = [...this.repeatDue].filter(([, due]) => due <= now).map(([tag]) => tag);
      for (const tag of dueTags) this.repeatDue.delete(tag);
      if (dueTags.length > 0) {
        this.repeatsRunning += dueTags.length;
        void this.invalidateOnce(dueTags).finally(() => {
          this.repeatsRunning -= dueTags.length;
        });
      }
      if (this.repeatDue.size > 0) this.scheduleRepeat(Math.max(1, Math.min(...this.repeatDue.values()) - now));
    }, delay);
    this.repeatTimer.unref();
  }

  /** Entries held in this process right now. */
  size(): number {
    return this.local.size;
  }

  close(): void {
    this.closed = true;
    if (this.repeatTimer) clearTimeout(this.repeatTimer);
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.repeatTimer = undefined;
    this.repeatDue.clear();
  }

  /**
   * Drops the tags here, in Redis and, by broadcast, on every instance. False when Redis could not be told: the
   * shared layer is then fenced when this instance is back, but a caller that may never come back (a Lambda) retries.
   */
  private async invalidateOnce(tags: readonly string[]): Promise<boolean> {
    this.dropLocal(tags);
    const redis = this.options.redis;
    if (!redis) return true;
    if (!this.online) return false;
    try {
      const members = await Promise.all(tags.map((tag) => redis.client.smembers(this.tagKey(tag))));
      const keys = [...new Set(members.flat())].map((key) => this.entryKey(key));
      const pipeline = redis.client.multi();
      if (keys.length > 0) pipeline.del(...keys);
      pipeline.del(...tags.map((tag) => this.tagKey(tag)));
      pipeline.publish(this.channel(), JSON.stringify(tags));
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error !== null)?.[0];
      if (!results || failed) throw failed ?? new Error('the invalidation transaction was aborted');
      return true;
    } catch (error) {
      // Redis may hold what this invalidation meant to drop: go off and fence the shared layer before using it again.
      this.options.logger.warn({ err: error, tags }, 'response cache: could not invalidate in Redis; off until the shared layer is fenced');
      this.cutOff();
      void this.sync();
      return false;
    }
  }

  /** A message on the channel: tags to drop, or a new generation some instance fenced the shared layer with. */
  private receive(message: unknown): void {
    if (Array.isArray(message)) {
      this.dropLocal(message.filter((tag): tag is string => typeof tag === 'string'));
      return;
    }
    const generation = (message as { generation?: unknown } | null)?.generation;
    if (typeof generation === 'number' && Number.isSafeInteger(generation) && (this.generation === undefined || generation > this.generation)) this.adopt(generation);
  }

  /** Either connection dropped: what this instance holds may miss invalidations from now on. */
  private cutOff(): void {
    if (!this.options.redis) return;
    this.cuts += 1;
    this.fenceOnReturn = true;
    this.online = false;
    this.clearLocal();
  }

  /**
   * Brings the cache back when both connections are up: subscribed again, then the generation read (a first
   * start) or incremented and announced (after a drop), and the local map emptied. Runs one at a time.
   */
  private sync(): Promise<void> {
    const redis = this.options.redis;
    if (!redis || this.online || this.closed || this.syncing) return this.syncing ?? Promise.resolve();
    if (redis.client.status !== 'ready' || redis.subscriber.status !== 'ready') return Promise.resolve();
    const fence = this.fenceOnReturn;
    const cuts = this.cuts;
    this.syncing = (async () => {
      try {
        await redis.subscriber.subscribe(this.channel());
        const generationKey = this.generationKey();
        const generation = fence ? await redis.client.incr(generationKey) : Number(await redis.client.incrby(generationKey, 0));
        if (fence) await redis.client.publish(this.channel(), JSON.stringify({ generation }));
        // A connection that dropped meanwhile asks for another fence; this one does not count.
        if (this.cuts !== cuts || redis.client.status !== 'ready' || redis.subscriber.status !== 'ready') return;
        this.fenceOnReturn = false;
        this.adopt(generation);
        this.online = true;
        if (fence) this.options.logger.info({ generation }, 'response cache: back on Redis under a new generation');
      } catch (error) {
        this.options.logger.warn({ err: error }, 'response cache: could not rejoin Redis; off until it can');
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  private adopt(generation: number): void {
    if (this.generation === generation) return;
    this.generation = generation;
    this.clearLocal();
  }

  private clearLocal(): void {
    this.epochValue += 1;
    this.local.clear();
    this.byTag.clear();
  }

  private dropLocal(tags: readonly string[]): void {
    this.epochValue += 1;
    for (const tag of tags) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) this.deleteLocal(key);
      this.byTag.delete(tag);
    }
  }

  private setLocal(key: string, entry: LocalEntry): void {
    if (this.local.has(key)) this.deleteLocal(key);
    this.local.set(key, entry);
    for (const tag of entry.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) {
        keys = new Set();
        this.byTag.set(tag, keys);
      }
      keys.add(key);
    }
    while (this.local.size > this.options.maxEntries) {
      const oldest = this.local.keys().next().value as string;
      this.deleteLocal(oldest);
    }
  }

  private deleteLocal(key: string): void {
    const entry = this.local.get(key);
    if (!entry) return;
    this.local.delete(key);
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.byTag.delete(tag);
    }
  }

  private channel(): string {
    return `${this.options.redis?.prefix ?? ''}invalidate`;
  }

  private generationKey(): string {
    return `${this.options.redis?.prefix ?? ''}generation`;
  }

  private entryKey(key: string): string {
    return `${this.options.redis?.prefix ?? ''}${this.generation ?? 0}:e:${key}`;
  }

  private tagKey(tag: string): string {
    return `${this.options.redis?.prefix ?? ''}${this.generation ?? 0}:t:${tag}`;
  }
}

function encode(entry: CacheEntry): string {
  return JSON.stringify({ v: entry.value, s: entry.scope, x: entry.expiresAt, t: entry.tags });
}

function decode(raw: string): CacheEntry | undefined {
  try {
    const parsed = JSON.parse(raw) as { v?: unknown; s?: unknown; x?: unknown; t?: unknown };
    if (typeof parsed.v !== 'string' || (parsed.s !== 'PUBLIC' && parsed.s !== 'PRIVATE') || typeof parsed.x !== 'number' || !Array.isArray(parsed.t)) {
      return undefined;
    }
    return { value: parsed.v, scope: parsed.s, expiresAt: parsed.x, tags: parsed.t.filter((tag): tag is string => typeof tag === 'string') };
  } catch {
    return undefined;
  }
}
