/**
 * Notifications on AWS Lambda, built once per container from the same composition root as the worker:
 * - `queueHandler`: the consumer of the notifications queue (EventBridge rule -> SQS -> Lambda, with
 *   ReportBatchItemFailures): each message an event, each failed one retried with the consumer's backoff and
 *   dead-lettered by the queue after its attempts (lib/events/sqs-delivery.ts). Mail goes out through SES v2
 *   (MAIL_TRANSPORT=ses).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handleSqsDeliveries, sqsMessageVisibility } from '../../lib/events/sqs-delivery';
import { lambdaContainer } from '../../lib/runtime/lambda-container';
import { notificationsModule } from './composition';
import { NOTIFICATIONS_RETRY } from './infrastructure/event-consumers';

const container = lambdaContainer('notifications', (runtime) => ({
  runtime,
  notifications: notificationsModule(runtime),
  // The queue lives in the function's region: its regional endpoint, not the host of the queue URL (which the
  // SDK would otherwise prefer, and which a configured endpoint such as AWS_ENDPOINT_URL_SQS must override).
  visibility: sqsMessageVisibility(new SQSClient({ region: runtime.config.dynamodb.region, useQueueUrlAsEndpoint: false })),
}));

export async function queueHandler(event: SQSEvent): Promise<SQSBatchResponse> {
  const { runtime, notifications, visibility } = await container();
  return handleSqsDeliveries(event, [notifications.consumer], {
    logger: runtime.logger,
    signingSecret: runtime.config.eventSigningSecret,
    visibility,
    defaultRetry: NOTIFICATIONS_RETRY,
  });
}
