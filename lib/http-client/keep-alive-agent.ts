import type { Agent as UndiciAgent } from 'undici';
import { Agent } from './undici-parts';

export interface KeepAliveOptions {
  /** Sockets per origin. Default 32. */
  readonly connections?: number;
  /** Idle time before a pooled socket is closed. Default 30 s. */
  readonly keepAliveTimeoutMs?: number;
  /** Ceiling on a server's `Keep-Alive: timeout` hint. Default 60 s. */
  readonly keepAliveMaxTimeoutMs?: number;
  /** TCP + TLS connect timeout per attempt. Default 1 s. */
  readonly connectTimeoutMs?: number;
}

/**
 * One keep-alive connection pool per origin. Reusing sockets saves the TCP (and TLS) handshake on every miss and
 * revalidation. Idle sockets are retired by the client before a server's own keep-alive timeout (Node servers
 * announce `Keep-Alive: timeout=N`, which undici honours minus a margin, capped at keepAliveMaxTimeoutMs), so a
 * request is not written to a socket the server is closing. No pipelining (RFC 9112 9.3.2): one slow response must
 * not hold up the lookups queued behind it.
 */
export function createKeepAliveAgent(options: KeepAliveOptions = {}): UndiciAgent {
  return new Agent({
    connections: options.connections ?? 32,
    pipelining: 1,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    keepAliveMaxTimeout: options.keepAliveMaxTimeoutMs ?? 60_000,
    connect: { timeout: options.connectTimeoutMs ?? 1_000 },
  });
}
