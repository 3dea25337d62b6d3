import type { IncomingMessage } from 'node:http';

export type ReadBody = { readonly kind: 'ok'; readonly bytes: Buffer } | { readonly kind: 'too-large' } | { readonly kind: 'failed' };

/**
 * Reads a request body of at most `limitBytes`: a declared Content-Length past the limit is refused before
 * anything is read, and a body that grows past it stops being kept at once (the rest is drained unread), so a
 * caller cannot make the service buffer more than the limit. Never rejects.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<ReadBody> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      req.resume();
      resolve({ kind: 'too-large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        resolve({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ kind: 'ok', bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
    req.on('error', () => resolve({ kind: 'failed' }));
  });
}
