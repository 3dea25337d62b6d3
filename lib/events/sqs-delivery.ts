import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Logger } from '../logging';
import { backoffDelay, type RetryPolicy } from './backoff';
import type { EventConsumer } from './event-bus';
import { handleDelivery } from './event-tracing';
import { envelopeFromEventBridge, type EventBridgeDelivery } from './eventbridge-delivery';

/** Delays a message's next delivery (SQS ChangeMessageVisibility on the message just received). */
export interface MessageVisibility {
  delay(queueArn: string, receiptHandle: string, seconds: number): Promise<void>;
}

/** The longest visibility timeout SQS allows (12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;

/** The queue URL of a queue ARN (arn:aws:sqs:<region>:<account>:<name>), which SQS's API takes. */
export function queueUrlOf(queueArn: string): string {
  const [, , , region, account, name] = queueArn.split(':');
  if (!region || !account || !name) throw new TypeError(`not an SQS queue ARN: ${JSON.stringify(queueArn)}`);
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

export function sqsMessageVisibility(client: SQSClient): MessageVisibility {
  return {
    async delay(queueArn, receiptHandle, seconds) {
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrlOf(queueArn),
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(seconds))),
        }),
      );
    },
  };
}

export interface SqsDeliveryOptions {
  readonly logger: Logger;
  /** EVENT_SIGNING_SECRET: a signed envelope must verify (envelopeFromEventBridge). */
  readonly signingSecret: string;
  readonly visibility: MessageVisibility;
  /** For consumers without a policy of their own. The queue's maxReceiveCount must equal its maxAttempts. */
  readonly defaultRetry: RetryPolicy;
}

/**
 * A batch of a consumer queue (EventBridge rule -> SQS -> Lambda, with ReportBatchItemFailures), handled with the
 * consumers the local buses run and their retry policy:
 * - each message is an EventBridge event, validated and verified like a direct rule delivery;
 * - a message whose handler failed is reported in batchItemFailures (only it comes back, not the whole batch),
 *   and its visibility is set to the consumer's backoff for that attempt (ApproximateReceiveCount), so retries
 *   spread out as they do on Redis Streams instead of coming back every visibility timeout;
 * - past the consumer's maxAttempts the queue's redrive policy (maxReceiveCount = maxAttempts) moves it to the
 *   dead-letter queue;
 * - a message that is not a valid event can never succeed: it is released at once, and reaches the
 *   dead-letter queue after its receives run out.
 */
export async function handleSqsDeliveries(event: SQSEvent, consumers: readonly EventConsumer[], options: SqsDeliveryOptions): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const delaySeconds = await handleRecord(record, consumers, options);
    if (delaySeconds === undefined) continue;
    failures.push({ itemIdentifier: record.messageId });
    try {
      await options.visibility.delay(record.eventSourceARN, record.receiptHandle, delaySeconds);
    } catch (error) {
      // The queue's own visibility timeout brings it back instead: later than planned, never lost.
      options.logger.warn({ err: error, messageId: record.messageId }, 'could not set the retry delay of a failed message');
    }
  }
  return { batchItemFailures: failures };
}

/** Undefined when the message is done with; else the seconds to wait before it is delivered again. */
async function handleRecord(record: SQSRecord, consumers: readonly EventConsumer[], options: SqsDeliveryOptions): Promise<number | undefined> {
  const { logger } = options;
  let envelope;
  try {
    envelope = envelopeFromEventBridge(JSON.parse(record.body) as EventBridgeDelivery, options.signingSecret);
  } catch (error) {
    logger.warn({ err: error, messageId: record.messageId }, 'refused a queued message that is not a valid event; it goes to the dead-letter queue once its receives run out');
    return 0;
  }
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
  for (const consumer of consumers.filter((candidate) => candidate.types.includes(envelope.type))) {
    try {
      await handleDelivery(envelope, { group: consumer.group, transport: 'sqs' }, () => consumer.handle(envelope));
    } catch (error) {
      const policy = consumer.retry ?? options.defaultRetry;
      const fields = { err: error, group: consumer.group, eventId: envelope.id, type: envelope.type, attempt };
      if (attempt >= policy.maxAttempts) {
        logger.error(fields, 'event handler failed on its last attempt; the queue dead-letters it');
        return 0;
      }
      const delayMs = backoffDelay(attempt, policy.retryBackoff);
      logger.warn({ ...fields, retryInMs: delayMs }, 'event handler failed; will retry');
      return delayMs / 1000;
    }
  }
  return undefined;
}
