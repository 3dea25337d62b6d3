/**
 * Notifications' queue consumer invoked as the SQS event source invokes it (a batch of EventBridge events, with
 * ReportBatchItemFailures), against DynamoDB Local, a local Orders internal API and a local endpoint speaking SES
 * v2 and SQS: one email per event however often it arrives, failed messages reported alone and delayed by the
 * consumer's backoff, invalid ones released to reach the dead-letter queue.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from '../../lib/config';
import type { AnyEventEnvelope } from '../../lib/events';
import { signedEventBody } from '../../lib/events/event-signature';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { createServiceRuntime } from '../../lib/runtime';
import { ensureTables } from '../../scripts/system';
import { eventBridgeEvent, setLambdaEnvironment } from '../../test/support/lambda';
import { startMailAws, type MailAws } from '../../test/support/mail-aws';
import { internalOrder } from '../../test/support/notifications';
import { startOrdersInternalApi, type OrdersInternalApi } from '../../test/support/orders-internal-api';
import { testDynamoClients, testDynamoEndpoint, uniquePrefix } from '../../test/support/services';
import { TEST_EVENT_SIGNING_SECRET } from '../../test/support/system';
import { DynamoDeliveryRecords } from './infrastructure/dynamo-delivery-records';
import type * as NotificationsLambda from './lambda';

const SIGNING_SECRET = 'notifications-lambda-signing-secret-0123456789';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:ecommerce-dev-notifications';

let lambda: typeof NotificationsLambda;
let restore: () => void;
let aws: MailAws;
let orders: OrdersInternalApi;
let records: DynamoDeliveryRecords;

beforeAll(async () => {
  const prefix = uniquePrefix('notifications-lambda');
  aws = await startMailAws();
  orders = await startOrdersInternalApi(SIGNING_SECRET);
  restore = setLambdaEnvironment({
    NODE_ENV: 'production',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDA',
    AWS_SECRET_ACCESS_KEY: 'lambda-secret',
    AWS_ENDPOINT_URL_SESV2: aws.endpoint,
    AWS_ENDPOINT_URL_SQS: aws.endpoint,
    DYNAMODB_ENDPOINT: testDynamoEndpoint(),
    TABLE_PREFIX: prefix,
    NOTIFICATIONS_TABLE: `${prefix}notifications`,
    ORDERS_URL: `${orders.url}/graphql`,
    MAIL_TRANSPORT: 'ses',
    MAIL_FROM: 'Example Shop <orders@shop.example>',
    SHOP_URL: 'https://shop.example',
    EVENT_BUS: 'eventbridge',
    GATEWAY_SIGNING_SECRET: SIGNING_SECRET,
    GATEWAY_SIGNING_SECRET_ARN: undefined,
    EVENT_SIGNING_SECRET: TEST_EVENT_SIGNING_SECRET,
    JWT_SECRET: undefined,
    REDIS_URL: undefined,
    SMTP_URL: undefined,
  });
  await ensureTables(createServiceRuntime(loadConfig({ NODE_ENV: 'test', DYNAMODB_ENDPOINT: testDynamoEndpoint(), TABLE_PREFIX: prefix }), 'test'), ['notifications']);
  records = new DynamoDeliveryRecords(testDynamoClients().doc, `${prefix}notifications`);
  lambda = await import('./lambda');
});

afterAll(async () => {
  restore();
  await orders.close();
  await aws.stop();
});

function sqsRecord(body: string, receiveCount = 1): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: `handle-${randomUUID()}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAEVENTBRIDGE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

/** What the rule puts on the queue: the EventBridge event itself, as JSON. */
const queued = (envelope: AnyEventEnvelope, receiveCount = 1) => sqsRecord(JSON.stringify(eventBridgeEvent(signed(envelope))), receiveCount);
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** Envelopes reach EventBridge signed (the outbox relay signs them); the consumer verifies. */
function signed(envelope: AnyEventEnvelope): AnyEventEnvelope {
  return JSON.parse(signedEventBody(envelope, TEST_EVENT_SIGNING_SECRET)) as AnyEventEnvelope;
}

const newOrderId = () => `order-${randomUUID().slice(0, 8)}`;
const sentTo = (address: string) => aws.sent.filter((sent) => sent.request.Destination.ToAddresses.some((to) => to.endsWith(`<${address}>`)));

describe('the notifications queue consumer', () => {
  it('sends the email through SES once, however often the event arrives', async () => {
    const orderId = newOrderId();
    orders.orders.set(orderId, internalOrder(orderId));
    const event = sampleEnvelope('order.confirmed', { orderId });

    expect(await lambda.queueHandler(batch(queued(event), queued(event)))).toEqual({ batchItemFailures: [] });
    expect(await lambda.queueHandler(batch(queued(event, 2)))).toEqual({ batchItemFailures: [] });

    const sent = sentTo(`${orderId}@example.com`);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.request.FromEmailAddress).toBe('"Example Shop" <orders@shop.example>');
    expect(sent[0]!.request.Destination.ToAddresses).toEqual([`"Ada Lovelace" <${orderId}@example.com>`]);
    expect(sent[0]!.request.Content.Simple.Subject.Data).toMatch(/confirmed: your receipt$/);
    expect(sent[0]!.request.Content.Simple.Body.Text!.Data).toContain('Total: $44.97');
    expect(sent[0]!.request.Content.Simple.Headers).toContainEqual({ Name: 'X-Notification-Id', Value: `<notification.${event.id}.customer@shop.example>` });
    const [record] = await records.findByOrder(orderId);
    expect(record).toMatchObject({ status: 'SENT', attempts: 1, providerMessageId: sent[0]!.messageId });
  });

  it('reports only the failed message, delayed by the backoff of its attempt, and sends it on a later receive', async () => {
    const failing = newOrderId();
    const fine = newOrderId();
    orders.orders.set(failing, internalOrder(failing));
    orders.orders.set(fine, internalOrder(fine));
    aws.failNext.push({ status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' });
    const first = queued(sampleEnvelope('order.shipped', { orderId: failing }), 3);
    const second = queued(sampleEnvelope('order.shipped', { orderId: fine }));
    aws.visibilityChanges.length = 0;

    expect(await lambda.queueHandler(batch(first, second))).toEqual({ batchItemFailures: [{ itemIdentifier: first.messageId }] });
    expect(sentTo(`${fine}@example.com`)).toHaveLength(1);
    expect(sentTo(`${failing}@example.com`)).toHaveLength(0);
    // Attempt 3 of NOTIFICATIONS_RETRY: 4 s doubled from 1 s, of which equal jitter waits between half and all.
    expect(aws.visibilityChanges).toHaveLength(1);
    expect(aws.visibilityChanges[0]).toMatchObject({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/ecommerce-dev-notifications', ReceiptHandle: first.receiptHandle });
    expect(aws.visibilityChanges[0]!.VisibilityTimeout).toBeGreaterThanOrEqual(2);
    expect(aws.visibilityChanges[0]!.VisibilityTimeout).toBeLessThanOrEqual(4);
    const [failed] = await records.findByOrder(failing);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, lastError: 'Maximum sending rate exceeded.' });

    expect(await lambda.queueHandler(batch({ ...first, attributes: { ...first.attributes, ApproximateReceiveCount: '4' } }))).toEqual({ batchItemFailures: [] });
    expect(sentTo(`${failing}@example.com`)).toHaveLength(1);
    expect((await records.findByOrder(failing))[0]).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it('records a permanent refusal and does not retry it', async () => {
    const orderId = newOrderId();
    orders.orders.set(orderId, internalOrder(orderId));
    aws.failNext.push({ status: 400, type: 'BadRequestException', message: 'Missing final \'@domain\'' });
    expect(await lambda.queueHandler(batch(queued(sampleEnvelope('order.confirmed', { orderId }))))).toEqual({ batchItemFailures: [] });
    expect((await records.findByOrder(orderId))[0]).toMatchObject({ status: 'REJECTED', attempts: 1, lastError: "SES refused the message: Missing final '@domain'" });
    expect(sentTo(`${orderId}@example.com`)).toHaveLength(0);
  });

  it("releases the last failed attempt at once for the queue's redrive to dead-letter, and an invalid message too", async () => {
    const orderId = newOrderId();
    orders.orders.set(orderId, internalOrder(orderId));
    aws.failNext.push({ status: 503, type: 'ServiceUnavailable', message: 'try later' });
    aws.visibilityChanges.length = 0;
    const last = queued(sampleEnvelope('order.confirmed', { orderId }), 10);
    const forged = sqsRecord(JSON.stringify(eventBridgeEvent({ ...signed(sampleEnvelope('order.confirmed', { orderId })), data: { ...sampleEnvelope('order.confirmed', { orderId }).data, customerId: 'someone-else' } } as AnyEventEnvelope)));
    const garbage = sqsRecord('not json');

    const response = await lambda.queueHandler(batch(last, forged, garbage));
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([last.messageId, forged.messageId, garbage.messageId]);
    expect(aws.visibilityChanges.map((change) => [change.ReceiptHandle, change.VisibilityTimeout])).toEqual([
      [last.receiptHandle, 0],
      [forged.receiptHandle, 0],
      [garbage.receiptHandle, 0],
    ]);
    expect(sentTo(`${orderId}@example.com`)).toHaveLength(0);
  });
});
