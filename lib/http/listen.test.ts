import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { waitFor } from '../events/testing/wait-for';
import { closeServer, listen, type RunningServer } from './listen';

/**
 * Stopping drains: what was asked is answered, and nothing else holds the stop up. The grace period here is far
 * beyond the test timeout, so a stop that waited for it would fail the test rather than pass slowly.
 */

const NEVER = 10 * 60_000;
let running: RunningServer | undefined;
const clients: Socket[] = [];

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.destroy();
  if (running) await closeServer(running.server, 0);
  running = undefined;
});

/** Starts a server and records its side of every connection it accepts. */
async function start(handler: Parameters<typeof listen>[0]): Promise<{ server: RunningServer; accepted: Socket[] }> {
  running = await listen(handler, 0);
  const accepted: Socket[] = [];
  running.server.on('connection', (socket: Socket) => accepted.push(socket));
  return { server: running, accepted };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
    clients.push(socket);
  });
}

/** Everything the server sends on `socket` until it closes the connection. */
function received(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.once('close', () => resolve(text));
  });
}

describe('closeServer', () => {
  it('closes at once a connection on which nothing was asked, and answers the request in flight first', async () => {
    let answer: (() => void) | undefined;
    const { server, accepted } = await start((_req, res) => {
      answer = () => res.end('late answer');
    });
    const unused = await open(server.port);
    const busy = await open(server.port);
    const unusedText = received(unused);
    const busyText = received(busy);
    busy.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await waitFor('the request to reach the handler, and both connections to be accepted', () => answer !== undefined && accepted.length === 2);

    const stopped = closeServer(server.server, NEVER);
    // The unused connection goes first: nothing was asked on it.
    expect(await unusedText).toBe('');
    answer!();
    await stopped;
    expect(await busyText).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nlate answer$/);
  });

  it('keeps a connection whose request has only begun to arrive, and answers it', async () => {
    const { server, accepted } = await start((_req, res) => res.end('answered'));
    const partial = await open(server.port);
    const text = received(partial);
    partial.write('GET /partial HTTP/1.1\r\n');
    // Node's parser reads the bytes straight from the connection (no 'data' events): the byte count shows them.
    await waitFor('the server to read the first line', () => accepted.length === 1 && accepted[0]!.bytesRead > 0);

    const stopped = closeServer(server.server, NEVER);
    partial.write('Host: localhost\r\n\r\n');
    await stopped;
    expect(await text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nanswered$/);
  });
});
