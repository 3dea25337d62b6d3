import { Agent, createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the proxy treats the next requests. */
export type OriginBehaviour =
  | { readonly kind: 'forward' }
  /** Answer with this status itself (Catalog overloaded, a 5xx from a load balancer). */
  | { readonly kind: 'fail'; readonly status: number }
  /** Forward, but only after this long (a slow Catalog). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Answer with exactly this (something that is not Catalog's contract). */
  | { readonly kind: 'answer'; readonly status: number; readonly headers: Record<string, string>; readonly body: string };

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  /** Sent with If-None-Match / If-Modified-Since: a revalidation. */
  readonly conditional: boolean;
}

/**
 * A real HTTP server in front of the real Catalog that records every request reaching it, before anything else
 * happens to it, and can make the origin refuse connections, fail or answer slowly. Counting here is exact:
 * each request the ACL puts on the wire (retries included) is one entry, whether or not Catalog answers it.
 */
export interface OriginProxy {
  readonly url: string;
  readonly requests: readonly ProxiedRequest[];
  /** Requests for GET /products/<id> (all products when omitted). */
  productRequests(productId?: string): readonly ProxiedRequest[];
  behave(behaviour: OriginBehaviour): void;
  /** Stops listening and drops every connection: clients get ECONNREFUSED, as from a stopped Catalog. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startOriginProxy(targetBaseUrl: string): Promise<OriginProxy> {
  const target = new URL(targetBaseUrl);
  const upstream = new Agent({ keepAlive: true });
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let behaviour: OriginBehaviour = { kind: 'forward' };

  const pass = (req: IncomingMessage, res: ServerResponse) => {
    const outgoing = forward(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent: upstream },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on('error', () => res.destroy());
    req.pipe(outgoing);
  };

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, conditional: req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined });
    const current = behaviour;
    if (current.kind === 'fail') {
      res.writeHead(current.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'injected failure' } }));
    } else if (current.kind === 'answer') {
      res.writeHead(current.status, current.headers);
      res.end(current.body);
    } else if (current.kind === 'delay') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) pass(req, res);
      }, current.ms);
      timers.add(timer);
    } else {
      pass(req, res);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listenOn = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  const port = await listenOn(0);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    productRequests: (productId) =>
      requests.filter((request) => request.method === 'GET' && (productId ? request.path === `/products/${productId}` : request.path.startsWith('/products/'))),
    behave(next) {
      behaviour = next;
    },
    down: stopListening,
    async up() {
      if (!server.listening) await listenOn(port);
    },
    async close() {
      await stopListening();
      upstream.destroy();
    },
  };
}
