import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ApplicationLoadBalancer, ApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { HttpCodeTarget } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { FargateService } from 'aws-cdk-lib/aws-ecs';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AppFunction } from '../constructs/app-function';
import type { EnvironmentSettings } from '../environments';

export interface ObservabilityStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  /** Every Lambda function of the system. */
  readonly functions: readonly AppFunction[];
  /** The subgraphs' GraphQL functions: their p99 duration is the API latency behind the gateway. */
  readonly apiFunctions: readonly AppFunction[];
  /** The Orders GraphQL function, whose Catalog ACL logs when its circuit breaker opens. */
  readonly ordersApi: AppFunction;
  /** The public function Stripe's webhooks reach, which logs every request whose signature does not verify. */
  readonly paymentsWebhook: AppFunction;
  readonly deadLetterQueues: readonly Queue[];
  /** Work queues whose oldest message says how late the work is (Notifications: customer emails). */
  readonly workQueues?: readonly { readonly queue: Queue; readonly maxAgeSeconds: number; readonly description: string }[];
  readonly gateway: { readonly service: FargateService; readonly loadBalancer: ApplicationLoadBalancer; readonly targetGroup: ApplicationTargetGroup };
  /** Where alarm notifications go (`-c alarmEmail=...`); the topic exists either way. */
  readonly alarmEmail?: string | undefined;
}

/** The line the Orders ACL logs (pino, JSON) when its circuit breaker opens. */
export const CIRCUIT_OPENED_MESSAGE = 'circuit breaker opened';

/** The line the Payments webhook logs for a request whose Stripe signature does not verify. */
export const WEBHOOK_REFUSED_MESSAGE = 'refused a webhook whose signature does not verify';

/**
 * Refused webhooks in 5 minutes before anyone is told: a few are strangers probing a public URL; more mean the
 * endpoint's secret and STRIPE_WEBHOOK_SECRET disagree, and no payment is being confirmed.
 */
export const WEBHOOK_REFUSED_THRESHOLD = 5;

/** p99 thresholds: a subgraph's own work, and the whole request as the load balancer sees it. */
export const API_P99_THRESHOLD_MS = 1_000;
export const GATEWAY_P99_THRESHOLD_SECONDS = 2;

/**
 * Alarms and a dashboard over the whole system. Logs are structured JSON (pino) in per-function and per-service
 * log groups with the environment's retention; Lambda functions trace to X-Ray. Alarms, all to one SNS topic:
 * - each function's errors and throttles (any, over 5 minutes);
 * - API latency: each subgraph function's p99 duration, and the gateway's p99 response time at the ALB;
 * - every dead-letter queue holding a message (rule targets, async invocations, stream relays, the schedule);
 * - a work queue whose oldest message is older than its bound (customer emails late);
 * - the Orders ACL's circuit breaker opening (a metric filter on its structured log line);
 * - Stripe webhooks refused for their signature (the same way): a wrong STRIPE_WEBHOOK_SECRET stops checkouts;
 * - gateway targets unhealthy, and a burst of 5xx answers.
 */
export class ObservabilityStack extends Stack {
  readonly alarms: readonly Alarm[];
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.topic = new Topic(this, 'Alarms', { displayName: `ecommerce ${settings.name} alarms` });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    const alarms: Alarm[] = [];
    const alarm = (id: string, metric: IMetric, options: { threshold: number; description: string; evaluationPeriods?: number; datapointsToAlarm?: number }) => {
      const created = new Alarm(this, id, {
        alarmName: `${settings.prefix}${id}`,
        metric,
        threshold: options.threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 1,
        // No data means no invocations, no messages, no breaker transitions: nothing wrong.
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: options.description,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      alarms.push(created);
      return created;
    };
    const fiveMinutes = Duration.minutes(5);
    const nameOf = (fn: AppFunction) => fn.name;

    for (const fn of props.functions) {
      alarm(`${nameOf(fn)}-errors`, fn.fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), {
        threshold: 0,
        description: `${fn.fn.functionName}: invocations failed (see its log group)`,
      });
      alarm(`${nameOf(fn)}-throttles`, fn.fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), {
        threshold: 0,
        description: `${fn.fn.functionName}: invocations throttled (concurrency limit)`,
      });
    }
    for (const fn of props.apiFunctions) {
      alarm(`${nameOf(fn)}-p99`, fn.fn.metricDuration({ period: fiveMinutes, statistic: 'p99' }), {
        threshold: API_P99_THRESHOLD_MS,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        description: `${fn.fn.functionName}: p99 duration above ${API_P99_THRESHOLD_MS} ms`,
      });
    }
    for (const queue of props.deadLetterQueues) {
      // Named after where the queue sits, e.g. ecommerce-dev-OrdersEventRules-DeliveryDlq-depth.
      const where = queue.node.path.split('/').slice(1).join('-');
      alarm(`${where}-depth`, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), {
        threshold: 0,
        description: `A message reached the dead-letter queue ${queue.node.path}: inspect it and redrive (docs/deploy.md)`,
      });
    }

    for (const { queue, maxAgeSeconds, description } of props.workQueues ?? []) {
      const where = queue.node.path.split('/').slice(1).join('-');
      alarm(`${where}-age`, queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }), {
        threshold: maxAgeSeconds,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        description: `The oldest message of ${queue.node.path} waits for more than ${maxAgeSeconds} s: ${description}`,
      });
    }

    const breakerOpened = new MetricFilter(this, 'CatalogBreakerOpened', {
      logGroup: props.ordersApi.logGroup,
      filterPattern: FilterPattern.stringValue('$.msg', '=', CIRCUIT_OPENED_MESSAGE),
      metricNamespace: `Ecommerce/${settings.name}`,
      metricName: 'CatalogCircuitBreakerOpened',
      metricValue: '1',
    }).metric({ period: Duration.minutes(1), statistic: 'Sum' });
    alarm('catalog-breaker-open', breakerOpened, {
      threshold: 0,
      description: 'The Orders ACL opened its circuit breaker to Catalog: orders fail fast or use cached products',
    });

    const webhooksRefused = new MetricFilter(this, 'StripeWebhooksRefused', {
      logGroup: props.paymentsWebhook.logGroup,
      filterPattern: FilterPattern.stringValue('$.msg', '=', WEBHOOK_REFUSED_MESSAGE),
      metricNamespace: `Ecommerce/${settings.name}`,
      metricName: 'StripeWebhooksRefused',
      metricValue: '1',
    }).metric({ period: fiveMinutes, statistic: 'Sum' });
    alarm('stripe-webhooks-refused', webhooksRefused, {
      threshold: WEBHOOK_REFUSED_THRESHOLD,
      description: "Stripe webhooks refused for their signature: check that STRIPE_WEBHOOK_SECRET is the endpoint's signing secret (docs/payments.md)",
    });

    const { loadBalancer, targetGroup, service } = props.gateway;
    const gatewayP99 = targetGroup.metrics.targetResponseTime({ period: fiveMinutes, statistic: 'p99' });
    alarm('gateway-p99', gatewayP99, {
      threshold: GATEWAY_P99_THRESHOLD_SECONDS,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: `Gateway p99 response time above ${GATEWAY_P99_THRESHOLD_SECONDS} s at the load balancer`,
    });
    alarm('gateway-unhealthy-targets', targetGroup.metrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: 'Maximum' }), {
      threshold: 0,
      evaluationPeriods: 3,
      description: 'Gateway tasks failing the /health check',
    });
    const gateway5xx = loadBalancer.metrics.httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, { period: fiveMinutes, statistic: 'Sum' });
    alarm('gateway-5xx', gateway5xx, { threshold: 10, description: 'Gateway answering 5xx' });
    this.alarms = alarms;

    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${settings.prefix}overview`, defaultInterval: Duration.hours(3) });
    const perFunction = (functions: readonly AppFunction[], metric: (fn: AppFunction) => IMetric) => functions.map(metric);
    dashboard.addWidgets(
      new TextWidget({ markdown: `# ecommerce ${settings.name}\nGateway (ECS) -> subgraphs (Lambda) -> DynamoDB; events on EventBridge.`, width: 24, height: 2 }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Gateway requests', left: [loadBalancer.metrics.requestCount({ period: Duration.minutes(1) })], right: [gateway5xx], width: 8 }),
      new GraphWidget({ title: 'Gateway p99 response time (s)', left: [gatewayP99], width: 8 }),
      new GraphWidget({ title: 'Gateway CPU / memory (%)', left: [service.metricCpuUtilization(), service.metricMemoryUtilization()], width: 8 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Subgraph p99 duration (ms)',
        left: perFunction(props.apiFunctions, (fn) => fn.fn.metricDuration({ statistic: 'p99', label: nameOf(fn) })),
        width: 8,
      }),
      new GraphWidget({
        title: 'Invocations',
        left: perFunction(props.functions, (fn) => fn.fn.metricInvocations({ label: nameOf(fn) })),
        width: 8,
      }),
      new GraphWidget({
        title: 'Errors and throttles',
        left: perFunction(props.functions, (fn) => fn.fn.metricErrors({ label: `${nameOf(fn)} errors` })),
        right: perFunction(props.functions, (fn) => fn.fn.metricThrottles({ label: `${nameOf(fn)} throttles` })),
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queue depth',
        left: props.deadLetterQueues.map((queue) => queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', label: queue.node.path })),
        width: 12,
      }),
      new GraphWidget({ title: 'Catalog circuit breaker opened', left: [breakerOpened], width: 12 }),
    );
    if ((props.workQueues ?? []).length > 0) {
      dashboard.addWidgets(
        new GraphWidget({
          title: 'Work queues: messages waiting, and the age of the oldest (s)',
          left: (props.workQueues ?? []).map(({ queue }) => queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', label: `${queue.node.path} waiting` })),
          right: (props.workQueues ?? []).map(({ queue }) => queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', label: `${queue.node.path} oldest` })),
          width: 24,
        }),
      );
    }
  }
}
