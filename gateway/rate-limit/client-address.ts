import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * The client's address for rate limits: the socket's peer, or, when the peer is one of the trusted proxies, the
 * address that proxy reports in X-Forwarded-For (walking back through trusted hops only). Without trusted proxies
 * the header is ignored, since any client can write it.
 */
export function clientAddressResolver(trustedProxies: readonly string[]): (request: IncomingMessage) => string {
  if (trustedProxies.length === 0) return (request) => request.socket.remoteAddress ?? 'unknown';
  const trust = proxyaddr.compile([...trustedProxies]);
  return (request) => proxyaddr(request, trust);
}
