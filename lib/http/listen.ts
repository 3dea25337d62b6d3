import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Base URL reachable from this machine, e.g. http://127.0.0.1:4001 */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server (port 0 picks a free port, as tests do). `close` stops accepting, lets in-flight
 * requests finish for a moment, then drops remaining sockets so shutdown never hangs (see closeServer).
 */
export function listen(handler: RequestListener, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const server = createServer(handler);
  trackConnections(server);
  // Longer than typical load-balancer idle timeouts, so the balancer closes first (no reset races).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: actual,
        url: `http://127.0.0.1:${actual}`,
        close: () => closeServer(server),
      });
    });
  });
}

/** The open connections of each server `listen` started (see closeUnused). */
const connections = new WeakMap<Server, Set<Socket>>();

function trackConnections(server: Server): void {
  const open = new Set<Socket>();
  connections.set(server, open);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
}

/**
 * Closes the connections on which the client has not sent a byte. Clients open connections ahead of need (browsers
 * preconnect; an HTTP client's pool dials a new connection for a request a freed one then takes): Node counts such a
 * connection as waiting for its first request, so closeIdleConnections leaves it open and server.close would wait the
 * whole grace period for a request that is not coming. Nothing was asked on it, so nothing goes unanswered.
 */
function closeUnused(server: Server): void {
  for (const socket of connections.get(server) ?? []) if (socket.bytesRead === 0) socket.destroy();
}

/**
 * Stops accepting connections and drains the open ones: idle keep-alive sockets and connections never used are closed
 * at once, and each socket whose request is still running as soon as its response is sent (checked every 50 ms: Node
 * closes idle sockets only when asked). After `graceMs` whatever is left is cut.
 */
export function closeServer(server: Server, graceMs = 2000): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    const idle = setInterval(() => {
      server.closeIdleConnections();
      closeUnused(server);
    }, 50);
    server.close(() => {
      clearTimeout(timer);
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
    closeUnused(server);
  });
}
