import type { ServerResponse } from 'node:http';
import type { Logger } from '../../lib/logging';
import type { EventLog } from './event-log';
import type { IdempotencyStore } from './idempotency';
import type { EmulatorState } from './state';
import type { WebhookDispatcher } from './webhooks';

/** Everything one emulator instance holds; the API and the controls work on it. */
export interface EmulatorServices {
  readonly state: EmulatorState;
  readonly events: EventLog;
  readonly idempotency: IdempotencyStore;
  readonly webhooks: WebhookDispatcher;
  readonly logger: Logger;
}

export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Stripe answers with indented JSON; so does the emulator, for people reading it with curl.
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
