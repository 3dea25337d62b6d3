import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Base URL reachable from this machine, e.g. http://127.0.0.1:4001 */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server (port 0 picks a free port, as tests do). `close` stops accepting, lets in-flight
 * requests finish for a moment, then drops idle and remaining keep-alive sockets so shutdown never hangs.
 */
export function listen(handler: RequestListener, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const server = createServer(handler);
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

export function closeServer(server: Server, graceMs = 2000): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
