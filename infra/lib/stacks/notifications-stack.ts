import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { parseMailSender, type MailSender } from '../../../lib/config/mail-config';
import { NOTIFICATION_EVENT_TYPES, NOTIFICATIONS_RETRY } from '../../../subgraphs/notifications/infrastructure/event-consumers';
import { notificationsTable } from '../../../subgraphs/notifications/infrastructure/notifications-table';
import { AppFunction } from '../constructs/app-function';
import { contextTable } from '../constructs/context-table';
import { deadLetterQueue, type DeadLetterQueues } from '../constructs/dead-letter-queue';
import { EventConsumerRules } from '../constructs/event-consumer-rules';
import type { EnvironmentSettings } from '../environments';
import { grantSecretValue, grantTableActions } from '../permissions';

export interface NotificationsStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly bus: IEventBus;
  readonly signingSecret: ISecret;
  readonly eventSigningSecret: ISecret;
  /** Orders' function URL: Notifications reads orders from its internal API, SigV4-signed with its own role. */
  readonly ordersUrl: FunctionUrl;
  /** MAIL_FROM (`-c mailFrom=...`): the sender, whose address or domain must be a verified SES identity. */
  readonly mailFrom: string;
  /** SHOP_URL (`-c shopUrl=...`): the storefront emails link to; none without it. */
  readonly shopUrl?: string | undefined;
}

/** Without `-c mailFrom=...`: an address on example.com, reserved (RFC 2606) so no SES account verifies it: nothing is sent by mistake. */
export const DEFAULT_MAIL_FROM = 'Federated Commerce <orders@example.com>';

/** One batch of the queue is at most this many emails, each bounded by MAIL_SEND_TIMEOUT_MS. */
export const QUEUE_BATCH_SIZE = 5;
export const MAIL_SEND_TIMEOUT_SECONDS = 20;
/** Room for a whole batch sent one after another, plus reading the orders. */
export const FUNCTION_TIMEOUT = Duration.seconds(QUEUE_BATCH_SIZE * MAIL_SEND_TIMEOUT_SECONDS + 20);

/** Oldest message in the work queue past this: emails are late (an SES outage longer than the retries spread, a stuck consumer). */
export const QUEUE_AGE_ALARM_SECONDS = 15 * 60;

/**
 * The Notifications context on AWS (docs/notifications.md, docs/deploy.md):
 * - its table (the delivery records: the idempotency store), without a stream (it has no outbox);
 * - an EventBridge rule per source -> the notifications work queue (SQS, encrypted, TLS only), whose redrive
 *   policy dead-letters a message after NOTIFICATIONS_RETRY.maxAttempts receives; the rule's own dead-letter
 *   queue takes events EventBridge could not put on the queue;
 * - the consumer function on the queue (partial batch failures; each failed message delayed by the consumer's
 *   backoff), sending through SES v2: `ses:SendEmail` on the sending identity only, for its From address only;
 * - reading Orders over its IAM-authenticated function URL.
 * SES must have verified the sending identity (docs/deploy.md), and the account must be out of the SES sandbox to
 * reach customers.
 */
export class NotificationsStack extends Stack implements DeadLetterQueues {
  readonly table: Table;
  readonly queue: Queue;
  /** Messages that failed every attempt (the queue's redrive target). */
  readonly deadLetterQueue: Queue;
  readonly rules: EventConsumerRules;
  readonly function: AppFunction;
  readonly sender: MailSender;
  /** Every dead-letter queue of the stack (the work queue's and the rules'), for the depth alarms. */
  readonly deadLetterQueues: readonly Queue[];

  constructor(scope: Construct, id: string, props: NotificationsStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const sender = parseMailSender(props.mailFrom);
    if (typeof sender === 'string') throw new Error(`-c mailFrom: ${sender}`);
    this.sender = sender;

    this.table = contextTable(this, 'NotificationsTable', { settings, context: 'notifications', definition: notificationsTable, stream: false });

    this.deadLetterQueue = deadLetterQueue(this, 'NotificationsDlq', settings);
    this.queue = new Queue(this, 'NotificationsQueue', {
      queueName: `${settings.prefix}notifications`,
      // AWS: at least the function's timeout; six times it, so a batch retried by Lambda is not delivered twice meanwhile.
      visibilityTimeout: Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6),
      // The retries span minutes; a message waiting longer than this day is late beyond any use.
      retentionPeriod: Duration.days(1),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: NOTIFICATIONS_RETRY.maxAttempts },
    });
    this.rules = new EventConsumerRules(this, 'NotificationsEventRules', {
      settings,
      bus: props.bus,
      target: this.queue,
      types: NOTIFICATION_EVENT_TYPES,
      description: 'Notifications consumer',
    });

    const ordersOrigin = props.ordersUrl.url;
    this.function = new AppFunction(this, 'NotificationsQueueConsumer', {
      settings,
      name: 'notifications-queue',
      entry: 'notifications',
      handler: 'queueHandler',
      description: 'Notifications consumer: one email per event and recipient, through SES (queue consumer)',
      timeout: FUNCTION_TIMEOUT,
      environment: {
        NOTIFICATIONS_TABLE: this.table.tableName,
        MAIL_TRANSPORT: 'ses',
        MAIL_FROM: props.mailFrom,
        MAIL_SEND_TIMEOUT_MS: String(MAIL_SEND_TIMEOUT_SECONDS * 1000),
        ...(props.shopUrl ? { SHOP_URL: props.shopUrl } : {}),
        // Function URLs end with "/": the reader appends /internal/orders/<id> to the origin.
        ORDERS_URL: `${ordersOrigin}graphql`,
        SUBGRAPH_AUTH: 'iam',
        GATEWAY_SIGNING_SECRET_ARN: props.signingSecret.secretArn,
        EVENT_SIGNING_SECRET_ARN: props.eventSigningSecret.secretArn,
      },
    });
    const fn = this.function.fn;
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: QUEUE_BATCH_SIZE,
        // Only the failed messages of a batch come back (lib/events/sqs-delivery.ts reports them).
        reportBatchItemFailures: true,
        // SES's sending rate is per account: a few concurrent consumers are plenty, and a burst waits in the queue.
        maxConcurrency: 5,
      }),
    );
    // Claims and completions are conditional updates of one record; an order's records are read through its index.
    grantTableActions(fn, this.table, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], { indexes: true });
    grantSecretValue(fn, props.signingSecret);
    grantSecretValue(fn, props.eventSigningSecret);
    props.ordersUrl.grantInvokeUrl(fn);
    const identities = [...new Set([sender.address.slice(sender.address.lastIndexOf('@') + 1), sender.address])];
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        // The verified identity is the domain or the address itself: either may be the one SES checks.
        resources: identities.map((identity) => this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })),
        conditions: { StringEquals: { 'ses:FromAddress': sender.address } },
      }),
    );
    this.deadLetterQueues = [this.deadLetterQueue, this.rules.deadLetterQueue];
    new CfnOutput(this, 'NotificationsQueueUrl', { value: this.queue.queueUrl, description: 'Events waiting to become emails' });
    new CfnOutput(this, 'NotificationsDeadLetterQueueUrl', {
      value: this.deadLetterQueue.queueUrl,
      description: 'Events whose email failed every attempt: fix the cause, then redrive (docs/notifications.md)',
    });
  }
}
