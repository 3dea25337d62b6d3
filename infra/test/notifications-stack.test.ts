import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { minimumRetrySpanMs } from '../../lib/events/backoff';
import { NOTIFICATIONS_RETRY } from '../../subgraphs/notifications/infrastructure/event-consumers';
import { notificationsTable } from '../../subgraphs/notifications/infrastructure/notifications-table';
import { FUNCTION_TIMEOUT } from '../lib/stacks/notifications-stack';
import { actionsGranted, resourcesOfType, statementsOf, synthesize, type SynthesizedApp } from './support/synth';

/** Notifications on AWS: EventBridge rules -> SQS (with its DLQ) -> the consumer function -> SES, with CDK assertions. */

describe('notifications stack', () => {
  let dev: SynthesizedApp;
  beforeAll(() => {
    dev = synthesize('dev', { context: { mailFrom: 'Example Shop <orders@shop.example.com>', shopUrl: 'https://shop.example.com' } });
  });
  afterAll(() => dev.cleanup());

  const template = () => dev.templates.notifications;
  const queueId = () => dev.stacks.notifications.getLogicalId(dev.stacks.notifications.queue.node.defaultChild as never);
  const dlqId = () => dev.stacks.notifications.getLogicalId(dev.stacks.notifications.deadLetterQueue.node.defaultChild as never);

  it('keeps the delivery records in a table of its own, from the definition the local bootstrap uses, without a stream', () => {
    template().resourceCountIs('AWS::DynamoDB::Table', 1);
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'ecommerce-dev-notifications',
      KeySchema: [
        { AttributeName: notificationsTable.partitionKey, KeyType: 'HASH' },
        { AttributeName: notificationsTable.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byOrder', KeySchema: [{ AttributeName: 'orderKey', KeyType: 'HASH' }, { AttributeName: 'orderSortKey', KeyType: 'RANGE' }] })],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: Match.absent(),
    });
  });

  it('queues the events that ask for emails: a rule per source, to the encrypted work queue, with a dead-letter queue of its own', () => {
    const patterns = resourcesOfType(template(), 'AWS::Events::Rule').map(([, rule]) => rule.Properties['EventPattern']);
    expect(patterns).toEqual([
      { source: ['ecommerce.orders'], 'detail-type': ['order.confirmed', 'order.shipped', 'order.cancelled'] },
      { source: ['ecommerce.payments'], 'detail-type': ['payment.failed'] },
      { source: ['ecommerce.shipping'], 'detail-type': ['shipment.delivered'] },
    ]);
    for (const [, rule] of resourcesOfType(template(), 'AWS::Events::Rule')) {
      expect(rule.Properties['Targets']).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeliveryDlq/), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
        }),
      ]);
    }
    // EventBridge may send to the queue, from these rules only.
    template().hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotificationsEventRulesFromOrders'), 'Arn'] } } },
            Resource: { 'Fn::GetAtt': [queueId(), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it("dead-letters a message after the consumer's attempts, hides it while a batch runs, keeps it longer than the retries last", () => {
    template().hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'ecommerce-dev-notifications',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] }, maxReceiveCount: NOTIFICATIONS_RETRY.maxAttempts },
      VisibilityTimeout: FUNCTION_TIMEOUT.toSeconds() * 6,
      MessageRetentionPeriod: 86_400,
      SqsManagedSseEnabled: true,
    });
    expect(NOTIFICATIONS_RETRY.maxAttempts).toBe(10);
    expect(minimumRetrySpanMs(NOTIFICATIONS_RETRY)).toBeLessThan(86_400_000);
    template().hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600, SqsManagedSseEnabled: true });
    // TLS only, on every queue of the stack.
    for (const [, policy] of resourcesOfType(template(), 'AWS::SQS::QueuePolicy')) {
      expect(JSON.stringify(policy.Properties['PolicyDocument'])).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('consumes the queue with partial batch failures, sending through SES, reading Orders as IAM', () => {
    template().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    template().hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'ecommerce-dev-notifications-queue',
      Handler: 'index.queueHandler',
      Timeout: FUNCTION_TIMEOUT.toSeconds(),
      Environment: {
        Variables: Match.objectLike({
          NODE_ENV: 'production',
          NOTIFICATIONS_TABLE: { Ref: Match.stringLikeRegexp('^NotificationsTable') },
          MAIL_TRANSPORT: 'ses',
          MAIL_FROM: 'Example Shop <orders@shop.example.com>',
          SHOP_URL: 'https://shop.example.com',
          SUBGRAPH_AUTH: 'iam',
          // Orders' function URL (it ends with "/") followed by graphql: the reader strips it to the origin.
          ORDERS_URL: { 'Fn::Join': ['', [{ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'ecommerce-dev-subgraphs', OutputName: Match.stringLikeRegexp('OrdersApi') }) }, 'graphql']] },
          GATEWAY_SIGNING_SECRET_ARN: Match.anyValue(),
          EVENT_SIGNING_SECRET_ARN: Match.anyValue(),
        }),
      },
    });
  });

  it('may send mail only from its own address through its verified identity, and do nothing else it does not need', () => {
    const fn = dev.stacks.notifications.function.fn;
    expect([...actionsGranted(template(), fn.role as IRole)].sort()).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'lambda:InvokeFunction',
        'lambda:InvokeFunctionUrl',
        'secretsmanager:GetSecretValue',
        'ses:SendEmail',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    const [ses] = statementsOf(template(), fn.role as IRole).filter((statement) => statement.Action === 'ses:SendEmail');
    expect(ses!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'orders@shop.example.com' } });
    expect(JSON.stringify(ses!.Resource)).toContain(':identity/shop.example.com');
    expect(JSON.stringify(ses!.Resource)).toContain(':identity/orders@shop.example.com');
    expect(JSON.stringify(ses!.Resource)).not.toContain('*');
  });

  it('refuses a sender that is not an address', () => {
    expect(() => synthesize('dev', { context: { mailFrom: 'not an address' } })).toThrow(/-c mailFrom: must be an email address/);
  });
});
