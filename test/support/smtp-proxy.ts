import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * How the proxy treats new SMTP conversations:
 * - `pass`: relays both ways;
 * - `refuse`: answers "421 Service not available" and closes (RFC 5321 §3.8: a server shutting down), as a mail
 *   server that is up but not taking mail;
 * - `hold`: relays until the client has sent the end of the message data ("\r\n.\r\n"), then keeps that last
 *   chunk back, so the server never accepts the message: a conversation frozen just before the acceptance.
 */
export type SmtpProxyMode = 'pass' | 'refuse' | 'hold';

export interface SmtpProxy {
  readonly port: number;
  readonly url: string;
  mode: SmtpProxyMode;
  /** Conversations the proxy has taken (each new connection counts once). */
  readonly connections: number;
  /** Conversations held right before the end of their data, still open. */
  readonly held: number;
  close(): Promise<void>;
}

const END_OF_DATA = '\r\n.\r\n';

/** A TCP proxy in front of a real SMTP server (maildev), to make it refuse, or freeze a conversation, on demand. */
export async function startSmtpProxy(target: { host?: string; port: number }): Promise<SmtpProxy> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let held = 0;
  const proxy = {
    mode: 'pass' as SmtpProxyMode,
    get connections() {
      return connections;
    },
    get held() {
      return held;
    },
  };
  const server: Server = createServer((client) => {
    connections += 1;
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (proxy.mode === 'refuse') {
      client.end('421 4.3.2 Service not available, closing transmission channel\r\n');
      return;
    }
    const holding = proxy.mode === 'hold';
    const upstream = createConnection({ host: target.host ?? '127.0.0.1', port: target.port });
    sockets.add(upstream);
    upstream.once('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.on('data', (chunk) => client.write(chunk));
    let sent = '';
    let isHeld = false;
    client.on('data', (chunk: Buffer) => {
      if (isHeld) return;
      if (holding) {
        // The tail of what went before, so an end-of-data marker split across chunks is still seen.
        const window = sent.slice(-4) + chunk.toString('latin1');
        if (window.includes(END_OF_DATA)) {
          isHeld = true;
          held += 1;
          client.once('close', () => (held -= 1));
          return;
        }
        sent = window;
      }
      upstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return Object.assign(proxy, {
    port,
    url: `smtp://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}
