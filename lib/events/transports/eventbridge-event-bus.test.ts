import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../logging';
import { InvalidEventError, type AnyEventEnvelope } from '../envelope';
import { EventBusUnavailableError, EventTooLargeError, SubscribeNotSupportedError } from '../errors';
import { PUT_EVENTS_MAX_BYTES, putEventsEntrySize } from '../eventbridge-entry';
import { signEnvelope, verifyEnvelopeSignature } from '../event-signature';
import { sampleEnvelope, TEST_EVENT_SIGNING_SECRET } from '../testing/fixtures';
import { EventBridgeEventBus } from './eventbridge-event-bus';

const logger = createLogger({ service: 'eventbridge-event-bus-test', level: process.env['LOG_LEVEL'] ?? 'silent' });

interface WireEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName: string;
  Time?: number;
}

interface PutEventsCall {
  readonly headers: IncomingHttpHeaders;
  readonly entries: WireEntry[];
}

type Reply = { status: number; body: unknown };
type Responder = (call: PutEventsCall, index: number) => Reply;

const accept: Responder = (call, index) => ({
  status: 200,
  body: { FailedEntryCount: 0, Entries: call.entries.map((_, i) => ({ EventId: `evt-${index}-${i}` })) },
});

/**
 * A local endpoint speaking the PutEvents side of the EventBridge JSON 1.1 protocol: POST / with
 * `X-Amz-Target: AWSEvents.PutEvents`, replies `{ FailedEntryCount, Entries }` or a `__type` error body.
 */
let server: Server;
let endpoint: string;
let calls: PutEventsCall[] = [];
let respond: Responder = accept;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `unexpected ${req.method} ${String(req.headers['x-amz-target'])}` }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: WireEntry[] };
      const call = { headers: req.headers, entries: body.Entries };
      calls.push(call);
      const reply = respond(call, calls.length - 1);
      res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${calls.length}` });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const buses: EventBridgeEventBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
  calls = [];
  respond = accept;
});

function testBus(maxAttempts = 5): EventBridgeEventBus {
  const bus = new EventBridgeEventBus({
    eventBusName: 'ecommerce-test',
    logger,
    signingSecret: TEST_EVENT_SIGNING_SECRET,
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
    retryBackoff: { initialMs: 5, maxMs: 20 },
  });
  buses.push(bus);
  return bus;
}

const detailIds = (call: PutEventsCall | undefined) => (call?.entries ?? []).map((entry) => (JSON.parse(entry.Detail) as { id: string }).id);

describe('EventBridge transport', () => {
  it('puts each event as an entry: Source ecommerce.<context>, DetailType the type, Detail the signed envelope, on the bus', async () => {
    const envelope = sampleEnvelope('order.completed');
    await testBus().publish([envelope]);
    const signed = signEnvelope(envelope, TEST_EVENT_SIGNING_SECRET);

    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(calls[0]!.entries).toEqual([
      {
        Source: 'ecommerce.orders',
        DetailType: 'order.completed',
        Detail: JSON.stringify(signed),
        EventBusName: 'ecommerce-test',
        Time: new Date(envelope.occurredAt).getTime() / 1000,
      },
    ]);
    expect(JSON.parse(calls[0]!.entries[0]!.Detail)).toEqual({ ...envelope, signature: expect.stringMatching(/^v1=[A-Za-z0-9_-]{43}$/) });
    expect(verifyEnvelopeSignature(JSON.parse(calls[0]!.entries[0]!.Detail), TEST_EVENT_SIGNING_SECRET)).toEqual({ ok: true });
  });

  it('sends at most 10 entries per call: 25 events make calls of 10, 10 and 5, in order', async () => {
    const envelopes = Array.from({ length: 25 }, (_, i) => sampleEnvelope('product.created', { productId: `product-${i}` }));
    await testBus().publish(envelopes);

    expect(calls.map((call) => call.entries.length)).toEqual([10, 10, 5]);
    expect(calls.flatMap(detailIds)).toEqual(envelopes.map((e) => e.id));
    expect(calls[0]!.entries[0]!.Source).toBe('ecommerce.catalog');
  });

  it('keeps each call within 256 KB, splitting big events over more calls', async () => {
    const big = Array.from({ length: 5 }, (_, i) => sampleEnvelope('product.updated', { changed: [`${i}`.repeat(100_000)] }));
    await testBus().publish(big);

    expect(calls.map((call) => call.entries.length)).toEqual([2, 2, 1]);
    for (const call of calls) {
      const bytes = call.entries.reduce((sum, entry) => sum + putEventsEntrySize({ ...entry, Time: new Date() }), 0);
      expect(bytes).toBeLessThanOrEqual(PUT_EVENTS_MAX_BYTES);
    }
    expect(calls.flatMap(detailIds)).toEqual(big.map((e) => e.id));
  });

  it('retries only the entries EventBridge failed (FailedEntryCount > 0) until they are accepted', async () => {
    const envelopes = Array.from({ length: 4 }, () => sampleEnvelope('reward.issued'));
    respond = (call, index) => {
      if (index > 0) return accept(call, index);
      return {
        status: 200,
        body: {
          FailedEntryCount: 2,
          Entries: call.entries.map((_, i) =>
            i === 1 || i === 3 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `evt-${i}` },
          ),
        },
      };
    };
    await testBus().publish(envelopes);

    expect(calls).toHaveLength(2);
    expect(detailIds(calls[0])).toEqual(envelopes.map((e) => e.id));
    expect(detailIds(calls[1])).toEqual([envelopes[1]!.id, envelopes[3]!.id]);
  });

  it('retries a throttled call (400 ThrottlingException)', async () => {
    const envelopes = [sampleEnvelope('order.cancelled'), sampleEnvelope('order.confirmed')];
    respond = (call, index) =>
      index < 2 ? { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } } : accept(call, index);
    await testBus().publish(envelopes);

    expect(calls).toHaveLength(3);
    for (const call of calls) expect(detailIds(call)).toEqual(envelopes.map((e) => e.id));
  });

  it('gives up after maxAttempts calls when entries keep failing, naming the event and the error', async () => {
    const envelope = sampleEnvelope('order.completed');
    respond = (call) => ({
      status: 200,
      body: { FailedEntryCount: 1, Entries: call.entries.map(() => ({ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' })) },
    });
    const attempt = testBus(3).publish([envelope]);
    await expect(attempt).rejects.toThrow(EventBusUnavailableError);
    await expect(attempt).rejects.toThrow(`EventBridge rejected 1 of 1 event(s) on bus ecommerce-test after 3 attempts: ${envelope.id}: ThrottlingException slow down`);
    expect(calls).toHaveLength(3);
  });

  it('does not retry entries failed for a reason that cannot pass (AccessDeniedException)', async () => {
    const envelope = sampleEnvelope('order.completed');
    respond = (call) => ({
      status: 200,
      body: { FailedEntryCount: 1, Entries: call.entries.map(() => ({ ErrorCode: 'AccessDeniedException', ErrorMessage: 'not allowed' })) },
    });
    await expect(testBus().publish([envelope])).rejects.toThrow(`${envelope.id}: AccessDeniedException not allowed`);
    expect(calls).toHaveLength(1);
  });

  it('does not retry a call refused as invalid (400 ValidationException)', async () => {
    respond = () => ({ status: 400, body: { __type: 'ValidationException', message: 'bad request' } });
    await expect(testBus().publish([sampleEnvelope('order.completed')])).rejects.toThrow(/ValidationException: bad request/);
    expect(calls).toHaveLength(1);
  });

  it('rejects an event over 256 KB before sending anything', async () => {
    const small = sampleEnvelope('product.updated');
    const huge = sampleEnvelope('product.updated', { changed: ['x'.repeat(PUT_EVENTS_MAX_BYTES)] });
    const attempt = testBus().publish([small, huge]);
    await expect(attempt).rejects.toThrow(EventTooLargeError);
    await expect(attempt).rejects.toThrow(new RegExp(`event ${huge.id} is \\d+ bytes as a PutEvents entry, over the 262144-byte limit`));
    expect(calls).toHaveLength(0);
  });

  it('rejects an invalid envelope before sending anything', async () => {
    const broken = { ...sampleEnvelope('order.completed'), version: 2 } as unknown as AnyEventEnvelope;
    await expect(testBus().publish([sampleEnvelope('order.completed'), broken])).rejects.toThrow(InvalidEventError);
    expect(calls).toHaveLength(0);
  });

  it('refuses to subscribe, pointing at EventBridge rules with Lambda targets', async () => {
    const attempt = testBus().subscribe({ group: 'rewards', types: ['order.completed'], handle: async () => undefined });
    await expect(attempt).rejects.toThrow(SubscribeNotSupportedError);
    await expect(attempt).rejects.toThrow(/consumers run as Lambda targets of EventBridge rules/);
  });
});
