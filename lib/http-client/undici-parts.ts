/* eslint-disable @typescript-eslint/no-require-imports -- deliberate: see below */
import type * as Undici from 'undici';

/**
 * The parts of undici this client uses, loaded file by file. undici's index also loads fetch, WebSocket,
 * EventSource, the Cache API, mock agents and the SQLite cache store: about a third of a Lambda bundle that needs
 * none of them (the Orders function's 1.5 MB budget). undici 7 publishes no `exports` map, so these files are
 * reachable; the version is pinned by package-lock.json, and the client's test suites exercise every part.
 */
const Dispatcher = require('undici/lib/dispatcher/dispatcher') as { prototype: object };
// What undici's index does to give every dispatcher `request`, `stream`, `pipeline`, `connect` and `upgrade`.
Object.assign(Dispatcher.prototype, require('undici/lib/api') as object);

export const Agent = require('undici/lib/dispatcher/agent') as typeof Undici.Agent;
export const cacheInterceptor = require('undici/lib/interceptor/cache') as typeof Undici.interceptors.cache;
export const retryInterceptor = require('undici/lib/interceptor/retry') as typeof Undici.interceptors.retry;
export const MemoryCacheStore = require('undici/lib/cache/memory-cache-store') as typeof Undici.cacheStores.MemoryCacheStore;
