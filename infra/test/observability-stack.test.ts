import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { CIRCUIT_OPENED_MESSAGE, WEBHOOK_REFUSED_MESSAGE, WEBHOOK_REFUSED_THRESHOLD } from '../lib/stacks/observability-stack';
import { resourcesOfType, synthesize, type SynthesizedApp } from './support/synth';

type Alarm = { Properties: Record<string, unknown> };

describe('observability stack', () => {
  let dev: SynthesizedApp;
  beforeAll(() => {
    dev = synthesize('dev', { context: { alarmEmail: 'ops@example.com' } });
  });
  afterAll(() => dev.cleanup());

  const alarms = () => resourcesOfType(dev.templates.observability, 'AWS::CloudWatch::Alarm') as [string, Alarm][];
  const alarmNamed = (suffix: string): Alarm => {
    const found = alarms().find(([, alarm]) => alarm.Properties['AlarmName'] === `ecommerce-dev-${suffix}`);
    if (!found) throw new Error(`no alarm ecommerce-dev-${suffix}`);
    return found[1];
  };
  const allFunctions = () => [...dev.stacks.subgraphs.functions, dev.stacks.gateway.fanout, dev.stacks.notifications.function];
  const allQueues = () => [...dev.stacks.subgraphs.deadLetterQueues, ...dev.stacks.gateway.deadLetterQueues, ...dev.stacks.notifications.deadLetterQueues];

  it('alarms on every function’s errors and throttles', () => {
    // 19 subgraph functions (5 APIs, 5 relays, 5 event consumers, Stripe's webhook, the expiry job, the hold sweep,
    // the payment deadline sweep), the fan-out and the Notifications queue consumer.
    expect(allFunctions()).toHaveLength(21);
    for (const fn of allFunctions()) {
      for (const [kind, metric] of [
        ['errors', 'Errors'],
        ['throttles', 'Throttles'],
      ] as const) {
        expect(alarmNamed(`${fn.name}-${kind}`).Properties).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Statistic: 'Sum',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        });
      }
    }
  });

  it('alarms on API p99 latency: each subgraph function and the gateway at the load balancer', () => {
    for (const name of ['catalog-api', 'orders-api', 'rewards-api', 'payments-api', 'shipping-api']) {
      expect(alarmNamed(`${name}-p99`).Properties).toMatchObject({ MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 1000 });
    }
    expect(alarmNamed('gateway-p99').Properties).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Threshold: 2,
    });
  });

  it('alarms as soon as any dead-letter queue holds a message, for every DLQ of the system', () => {
    const queues = allQueues();
    // Rules (7: Catalog, Orders, Rewards, Payments, Shipping, fan-out, Notifications), async on-failure (9: the 5
    // consumers, the fan-out, the expiry job, the hold sweep, the payment deadline sweep), stream relays (5), the
    // schedules (3: expiry, hold sweep, payment deadline sweep), and the Notifications work queue's redrive.
    expect(queues).toHaveLength(25);
    const depthAlarms = alarms().filter(([, alarm]) => alarm.Properties['MetricName'] === 'ApproximateNumberOfMessagesVisible');
    expect(depthAlarms).toHaveLength(queues.length);
    const watched = new Set(depthAlarms.map(([, alarm]) => JSON.stringify((alarm.Properties['Dimensions'] as { Value: unknown }[])[0]!.Value)));
    expect(watched.size).toBe(queues.length);
    for (const [, alarm] of depthAlarms) expect(alarm.Properties).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('alarms when customer emails wait in their queue for more than 15 minutes', () => {
    const [, age] = alarms().find(([, alarm]) => alarm.Properties['MetricName'] === 'ApproximateAgeOfOldestMessage')!;
    expect(age.Properties).toMatchObject({
      AlarmName: 'ecommerce-dev-NotificationsQueue-age',
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 900,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  it('alarms when the Orders ACL opens its circuit breaker, from its structured log line', () => {
    dev.templates.observability.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: `{ $.msg = "${CIRCUIT_OPENED_MESSAGE}" }`,
      LogGroupName: Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'ecommerce-dev-subgraphs', OutputName: Match.stringLikeRegexp('OrdersApiLogs') }) }),
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'Ecommerce/dev', MetricName: 'CatalogCircuitBreakerOpened', MetricValue: '1' })],
    });
    expect(alarmNamed('catalog-breaker-open').Properties).toMatchObject({ Namespace: 'Ecommerce/dev', MetricName: 'CatalogCircuitBreakerOpened', Threshold: 0 });
  });

  it('alarms when Stripe webhooks keep being refused for their signature, from the webhook function’s log line', () => {
    dev.templates.observability.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: `{ $.msg = "${WEBHOOK_REFUSED_MESSAGE}" }`,
      LogGroupName: Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'ecommerce-dev-subgraphs', OutputName: Match.stringLikeRegexp('PaymentsWebhookLogs') }) }),
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'Ecommerce/dev', MetricName: 'StripeWebhooksRefused', MetricValue: '1' })],
    });
    expect(alarmNamed('stripe-webhooks-refused').Properties).toMatchObject({ MetricName: 'StripeWebhooksRefused', Threshold: WEBHOOK_REFUSED_THRESHOLD, Period: 300 });
  });

  it('notifies one SNS topic (with the e-mail subscription when given) and has a dashboard', () => {
    const template = dev.templates.observability;
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    for (const [, alarm] of alarms()) expect(alarm.Properties['AlarmActions']).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'ecommerce-dev-overview' });
  });

  it('keeps logs for the environment’s retention: a week in dev, three months in prod', () => {
    const prod = synthesize('prod');
    try {
      for (const [stack, days] of [
        [dev, 7],
        [prod, 90],
      ] as const) {
        for (const template of [stack.templates.subgraphs, stack.templates.gateway]) {
          for (const [, group] of resourcesOfType(template, 'AWS::Logs::LogGroup')) expect(group.Properties['RetentionInDays']).toBe(days);
        }
      }
    } finally {
      prod.cleanup();
    }
  });
});
