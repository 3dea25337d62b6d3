import { ArnFormat, CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { ArnPrincipal, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { ContextName } from '../../../lib/config';
import { AppFunction } from '../constructs/app-function';
import type { DeadLetterQueues } from '../constructs/dead-letter-queue';
import { deadLetterQueue } from '../constructs/dead-letter-queue';
import { PAYMENTS_EVENT_TYPES } from '../../../subgraphs/payments/infrastructure/event-consumers';
import { EventConsumerRules } from '../constructs/event-consumer-rules';
import { OutboxRelay } from '../constructs/outbox-relay';
import type { EnvironmentSettings } from '../environments';
import { APPLICATION_TABLE_ACTIONS, CATALOG_STOCK_TABLE_ACTIONS, grantSecretValue, grantTableActions } from '../permissions';
import type { DataStack } from './data-stack';

export interface SubgraphsStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly vpc: IVpc;
  readonly lambdaSecurityGroup: ISecurityGroup;
  readonly tables: DataStack['tables'];
  readonly signingSecret: ISecret;
  readonly eventSigningSecret: ISecret;
  /** Stripe's secret key and webhook signing secret: only the Payments functions read them. */
  readonly stripeSecretKey: ISecret;
  readonly stripeWebhookSecret: ISecret;
  readonly bus: IEventBus;
  readonly redisUrl: string;
}

const TABLE_VARIABLES: Readonly<Record<ContextName, string>> = {
  catalog: 'CATALOG_TABLE',
  orders: 'ORDERS_TABLE',
  rewards: 'REWARDS_TABLE',
  payments: 'PAYMENTS_TABLE',
  shipping: 'SHIPPING_TABLE',
};

/**
 * A subgraph request's ceiling: far above its normal latency (the Orders ACL gives a Catalog lookup 2 s,
 * CATALOG_TIMEOUT_MS), so only a stuck invocation hits it.
 */
const API_TIMEOUT = Duration.seconds(15);

/** docs/architecture.md §4: an unclaimed stock hold expires after 15 minutes; the schedule looks for expired ones every minute. */
export const STOCK_HOLD_TTL_SECONDS = 900;
export const HOLD_SWEEP_INTERVAL_MINUTES = 1;
/** docs/architecture.md §4: unpaid orders are cancelled at their payment deadline; the schedule looks every minute. */
export const DEADLINE_SWEEP_INTERVAL_MINUTES = 1;

/**
 * The SSM parameter holding Payments' GraphQL URL for Orders (`PAYMENTS_URL_PARAMETER`). Its name is fixed, so Orders'
 * function knows it without a reference to Payments' function, which itself references Orders' (a cycle
 * CloudFormation refuses).
 */
export function paymentsUrlParameterName(settings: EnvironmentSettings): string {
  return `/${settings.prefix}payments/function-url`;
}

/**
 * The subgraphs on Lambda, each from the same composition root as its HTTP service
 * (`subgraphs/<context>/lambda.ts`):
 * - a GraphQL function per subgraph behind a function URL with AWS_IAM auth: only SigV4-signed calls from
 *   principals granted `lambda:InvokeFunctionUrl` get through (the gateway's task role; the Orders function for
 *   Catalog's REST API), and the subgraph still checks the signed identity on top;
 * - an outbox relay per context on its table's stream;
 * - the event consumers (Catalog: order created/cancelled/completed claim, release and sell stock holds; Orders:
 *   product and stock changes, payments, shipment news; Rewards: completed orders; Shipping: confirmed and cancelled orders) behind
 *   EventBridge rules, the stock hold
 *   sweep and the rewards expiry job on EventBridge Scheduler schedules.
 * Orders calls Catalog's internal stock-holds command, Shipping's check, ship and deliver commands and Payments'
 * capture on their function URLs, SigV4-signed with its role, and Payments reads orders from Orders' internal API
 * the same way. Payments' URL reaches Orders through an SSM parameter and its invoke grant is a resource-based
 * permission on Payments' function: both depend on Orders' role, never its function, so there is no cycle. Payments has a second, public function URL for
 * Stripe's webhooks (POST /webhooks/stripe only, verified with the webhook secret before anything else), the
 * consumer of order.cancelled (void or refund) and order.confirmed (release a card payment the order was confirmed
 * without), and the only roles that read Stripe's secrets. Orders' payment
 * deadline runs on a schedule.
 * Each function gets its own role with only the actions it performs, on its own context's table only.
 */
export class SubgraphsStack extends Stack implements DeadLetterQueues {
  readonly api: Readonly<Record<ContextName, AppFunction>>;
  readonly functionUrls: Readonly<Record<ContextName, FunctionUrl>>;
  /** The public URL Stripe delivers webhooks to (register `<url>webhooks/stripe` in Stripe's dashboard). */
  readonly stripeWebhookUrl: FunctionUrl;
  readonly paymentsWebhook: AppFunction;
  readonly functions: readonly AppFunction[];
  readonly deadLetterQueues: readonly Queue[];

  constructor(scope: Construct, id: string, props: SubgraphsStackProps) {
    super(scope, id, props);
    const { settings, tables, bus, signingSecret, eventSigningSecret } = props;
    const inVpc = { vpc: props.vpc, securityGroup: props.lambdaSecurityGroup };
    const common = (context: ContextName): Record<string, string> => ({
      [TABLE_VARIABLES[context]]: tables[context].tableName,
      EVENT_BUS: 'eventbridge',
      EVENT_BUS_NAME: bus.eventBusName,
      GATEWAY_SIGNING_SECRET_ARN: signingSecret.secretArn,
      EVENT_SIGNING_SECRET_ARN: eventSigningSecret.secretArn,
    });
    /** Reads and writes its context's table and reads both signing secrets: what every application function does. */
    const application = (fn: AppFunction, context: ContextName): AppFunction => {
      grantTableActions(fn.fn, tables[context], context === 'catalog' ? CATALOG_STOCK_TABLE_ACTIONS : APPLICATION_TABLE_ACTIONS, { indexes: true });
      grantSecretValue(fn.fn, signingSecret);
      grantSecretValue(fn.fn, eventSigningSecret);
      return fn;
    };

    const catalogEnvironment = { ...common('catalog'), STOCK_HOLD_TTL_SECONDS: String(STOCK_HOLD_TTL_SECONDS) };
    const catalogApi = application(
      new AppFunction(this, 'CatalogApi', {
        settings,
        name: 'catalog-api',
        entry: 'catalog',
        handler: 'handler',
        description: 'Catalog subgraph: GraphQL on /graphql, REST on /products, internal stock holds (function URL)',
        timeout: API_TIMEOUT,
        environment: catalogEnvironment,
      }),
      'catalog',
    );
    const catalogEvents = application(
      new AppFunction(this, 'CatalogEvents', {
        settings,
        name: 'catalog-events',
        entry: 'catalog',
        handler: 'eventHandler',
        description: 'Catalog consumer: order.created claims a stock hold, order.cancelled releases it, order.completed sells it',
        timeout: Duration.seconds(30),
        environment: catalogEnvironment,
        asyncInvoked: true,
      }),
      'catalog',
    );
    const catalogRules = new EventConsumerRules(this, 'CatalogEventRules', {
      settings,
      bus,
      target: catalogEvents.fn,
      types: ['order.created', 'order.cancelled', 'order.completed'],
      description: 'Catalog consumer',
    });
    const holdSweep = application(
      new AppFunction(this, 'CatalogHoldSweep', {
        settings,
        name: 'catalog-hold-sweep',
        entry: 'catalog',
        handler: 'holdSweepHandler',
        description: 'Releases stock holds no order claimed within STOCK_HOLD_TTL_SECONDS (schedule)',
        timeout: Duration.minutes(2),
        environment: catalogEnvironment,
        asyncInvoked: true,
      }),
      'catalog',
    );
    const holdSweepDlq = deadLetterQueue(this, 'HoldSweepScheduleDlq', settings);
    new Schedule(this, 'CatalogHoldSweepSchedule', {
      scheduleName: `${settings.prefix}catalog-hold-sweep`,
      description: 'Releases unclaimed stock holds past their time to live (idempotent: a claimed or closed hold is never touched)',
      schedule: ScheduleExpression.rate(Duration.minutes(HOLD_SWEEP_INTERVAL_MINUTES)),
      target: new LambdaInvoke(holdSweep.fn, { deadLetterQueue: holdSweepDlq, retryAttempts: 2, maxEventAge: Duration.minutes(HOLD_SWEEP_INTERVAL_MINUTES) }),
    });
    const catalogUrl = catalogApi.fn.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
    // Function URLs end with "/"; the ACL appends "/products/..." to the origin.
    const catalogRestUrl = Fn.join('', ['https://', Fn.select(2, Fn.split('/', catalogUrl.url))]);

    // Shipping before Orders: Orders commands it (ship, deliver) on its function URL.
    const shippingApi = application(
      new AppFunction(this, 'ShippingApi', {
        settings,
        name: 'shipping-api',
        entry: 'shipping',
        handler: 'handler',
        description: "Shipping subgraph: GraphQL and Orders' ship and deliver commands (function URL)",
        timeout: API_TIMEOUT,
        environment: common('shipping'),
      }),
      'shipping',
    );
    const shippingUrl = shippingApi.fn.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
    const ordersEnvironment = {
      ...common('orders'),
      REDIS_URL: props.redisUrl,
      CATALOG_REST_URL: catalogRestUrl,
      SHIPPING_URL: `${shippingUrl.url}graphql`,
      SUBGRAPH_AUTH: 'iam',
    };
    // Payments' URL: read from SSM at cold start (lib/aws/variable-references.ts); only shipOrder and completeOrder
    // capture, so only the API function reads it.
    const paymentsUrlParameter = paymentsUrlParameterName(settings);
    const ordersApi = application(
      new AppFunction(this, 'OrdersApi', {
        settings,
        name: 'orders-api',
        entry: 'orders',
        handler: 'handler',
        description: 'Orders subgraph: GraphQL and the internal order reads (function URL); reads Catalog through the ACL and the Redis HTTP cache',
        timeout: API_TIMEOUT,
        environment: { ...ordersEnvironment, PAYMENTS_URL_PARAMETER: paymentsUrlParameter },
        vpc: inVpc,
      }),
      'orders',
    );
    ordersApi.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetParameter'],
        // Built from the fixed name, not from the parameter resource: that one depends on Payments' function.
        resources: [this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: paymentsUrlParameter.slice(1), arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
      }),
    );
    const ordersUrl = ordersApi.fn.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
    // The ACL signs its Catalog reads, and the stock client its hold commands, with this function's role
    // (SUBGRAPH_AUTH=iam): only Orders may reach /internal/stock-holds, which also checks Orders' signed identity.
    catalogApi.fn.grantInvokeUrl(ordersApi.fn);
    // shipOrder and markOrderDelivered command Shipping (POST /internal/shipments/*), signed the same way.
    shippingApi.fn.grantInvokeUrl(ordersApi.fn);

    const ordersEvents = application(
      new AppFunction(this, 'OrdersEvents', {
        settings,
        name: 'orders-events',
        entry: 'orders',
        handler: 'eventHandler',
        description: 'Orders consumers: product changes invalidate the Catalog cache, authorized payments confirm orders, shipment news resumes shipping and delivery',
        timeout: Duration.seconds(30),
        environment: ordersEnvironment,
        vpc: inVpc,
        asyncInvoked: true,
      }),
      'orders',
    );
    const ordersRules = new EventConsumerRules(this, 'OrdersEventRules', {
      settings,
      bus,
      target: ordersEvents.fn,
      types: ['product.updated', 'product.price.changed', 'stock.held', 'stock.released', 'stock.sold', 'payment.completed', 'payment.authorized', 'shipment.shipped', 'shipment.delivered'],
      description: 'Orders consumers',
    });
    const deadlineSweep = application(
      new AppFunction(this, 'OrdersDeadlineSweep', {
        settings,
        name: 'orders-deadline-sweep',
        entry: 'orders',
        handler: 'deadlineSweepHandler',
        description: 'Cancels unpaid orders past their payment deadline (PAYMENT_TIMEOUT_SECONDS; schedule)',
        timeout: Duration.minutes(2),
        environment: ordersEnvironment,
        vpc: inVpc,
        asyncInvoked: true,
      }),
      'orders',
    );
    const deadlineSweepDlq = deadLetterQueue(this, 'DeadlineSweepScheduleDlq', settings);
    new Schedule(this, 'OrdersDeadlineSweepSchedule', {
      scheduleName: `${settings.prefix}orders-deadline-sweep`,
      description: 'Cancels PENDING orders past paymentDueAt (idempotent: an order paid or cancelled meanwhile is never touched)',
      schedule: ScheduleExpression.rate(Duration.minutes(DEADLINE_SWEEP_INTERVAL_MINUTES)),
      target: new LambdaInvoke(deadlineSweep.fn, { deadLetterQueue: deadlineSweepDlq, retryAttempts: 2, maxEventAge: Duration.minutes(DEADLINE_SWEEP_INTERVAL_MINUTES) }),
    });

    // Payments: Stripe's secrets are read by its functions alone; it reads orders from Orders' internal API,
    // SigV4-signed with its role (SUBGRAPH_AUTH=iam), and needs no Redis (no VPC).
    const paymentsEnvironment = {
      ...common('payments'),
      ORDERS_URL: `${ordersUrl.url}graphql`,
      SUBGRAPH_AUTH: 'iam',
      STRIPE_SECRET_KEY_ARN: props.stripeSecretKey.secretArn,
      STRIPE_WEBHOOK_SECRET_ARN: props.stripeWebhookSecret.secretArn,
    };
    const payments = (fn: AppFunction): AppFunction => {
      application(fn, 'payments');
      grantSecretValue(fn.fn, props.stripeSecretKey);
      grantSecretValue(fn.fn, props.stripeWebhookSecret);
      return fn;
    };
    const paymentsApi = payments(
      new AppFunction(this, 'PaymentsApi', {
        settings,
        name: 'payments-api',
        entry: 'payments',
        handler: 'handler',
        description: 'Payments subgraph: GraphQL and the internal capture command (function URL); Stripe PaymentIntents',
        timeout: API_TIMEOUT,
        environment: paymentsEnvironment,
      }),
    );
    const paymentsUrl = paymentsApi.fn.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
    ordersApi.fn.grantInvokeUrl(paymentsApi.fn);
    new StringParameter(this, 'PaymentsUrlParameter', {
      parameterName: paymentsUrlParameter,
      stringValue: `${paymentsUrl.url}graphql`,
      description: "Payments' GraphQL URL on its IAM function URL: where Orders sends its capture command (PAYMENTS_URL_PARAMETER)",
    });
    // Orders' capture calls may reach Payments' function URL: granted on Payments' side (a resource-based permission
    // naming Orders' role) because a grant in Orders' role policy would make Orders' function depend on Payments'.
    allowFunctionUrlCalls(paymentsApi, ordersApi.fn.role as IRole, 'Orders');
    const paymentsWebhook = payments(
      new AppFunction(this, 'PaymentsWebhook', {
        settings,
        name: 'payments-webhook',
        entry: 'payments',
        handler: 'webhookHandler',
        description: "Stripe's webhooks (public function URL): POST /webhooks/stripe, the signature verified before anything is read",
        timeout: API_TIMEOUT,
        environment: paymentsEnvironment,
      }),
    );
    // Public by necessity (Stripe calls it; it cannot sign with SigV4): the function refuses anything whose Stripe
    // signature does not verify before it reads a table or calls anyone, and it holds nothing else to reach.
    const stripeWebhookUrl = paymentsWebhook.fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    const paymentsEvents = payments(
      new AppFunction(this, 'PaymentsEvents', {
        settings,
        name: 'payments-events',
        entry: 'payments',
        handler: 'eventHandler',
        description: "Payments consumer: a cancelled order's payment is voided (before capture) or refunded (after); one an order was confirmed without is voided",
        timeout: Duration.seconds(30),
        environment: paymentsEnvironment,
        asyncInvoked: true,
      }),
    );
    const paymentsRules = new EventConsumerRules(this, 'PaymentsEventRules', {
      settings,
      bus,
      target: paymentsEvents.fn,
      types: PAYMENTS_EVENT_TYPES,
      description: 'Payments consumer',
    });

    const rewardsApi = application(
      new AppFunction(this, 'RewardsApi', {
        settings,
        name: 'rewards-api',
        entry: 'rewards',
        handler: 'handler',
        description: 'Rewards subgraph: GraphQL (function URL)',
        timeout: API_TIMEOUT,
        environment: common('rewards'),
      }),
      'rewards',
    );
    const rewardsUrl = rewardsApi.fn.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
    const rewardsEvents = application(
      new AppFunction(this, 'RewardsEvents', {
        settings,
        name: 'rewards-events',
        entry: 'rewards',
        handler: 'eventHandler',
        description: 'Rewards consumer: issues points once per completed order',
        timeout: Duration.seconds(30),
        environment: common('rewards'),
        asyncInvoked: true,
      }),
      'rewards',
    );
    const rewardsRules = new EventConsumerRules(this, 'RewardsEventRules', {
      settings,
      bus,
      target: rewardsEvents.fn,
      types: ['order.completed'],
      description: 'Rewards consumer',
    });
    const rewardsExpiry = application(
      new AppFunction(this, 'RewardsExpiry', {
        settings,
        name: 'rewards-expiry',
        entry: 'rewards',
        handler: 'expiryHandler',
        description: 'Rewards expiry job: expires points older than 12 months (daily schedule)',
        timeout: Duration.minutes(5),
        environment: common('rewards'),
        asyncInvoked: true,
      }),
      'rewards',
    );
    const expiryDlq = deadLetterQueue(this, 'ExpiryScheduleDlq', settings);
    new Schedule(this, 'RewardsExpirySchedule', {
      scheduleName: `${settings.prefix}rewards-expiry`,
      description: 'Daily expiry of reward points (the job is idempotent: a repeated run expires nothing new)',
      schedule: ScheduleExpression.cron({ minute: '15', hour: '3' }),
      target: new LambdaInvoke(rewardsExpiry.fn, { deadLetterQueue: expiryDlq, retryAttempts: 3, maxEventAge: Duration.hours(6) }),
    });

    const shippingEvents = application(
      new AppFunction(this, 'ShippingEvents', {
        settings,
        name: 'shipping-events',
        entry: 'shipping',
        handler: 'eventHandler',
        description: 'Shipping consumer: a confirmed order gets its shipment (READY), a cancelled one has it withdrawn',
        timeout: Duration.seconds(30),
        environment: common('shipping'),
        asyncInvoked: true,
      }),
      'shipping',
    );
    const shippingRules = new EventConsumerRules(this, 'ShippingEventRules', {
      settings,
      bus,
      target: shippingEvents.fn,
      types: ['order.confirmed', 'order.cancelled'],
      description: 'Shipping consumer',
    });

    const relays = (['catalog', 'orders', 'rewards', 'payments', 'shipping'] as const).map(
      (context) =>
        new OutboxRelay(this, `${context[0]!.toUpperCase()}${context.slice(1)}OutboxRelay`, {
          settings,
          context,
          table: tables[context],
          bus,
          signingSecret,
          eventSigningSecret,
          tableVariable: TABLE_VARIABLES[context],
        }),
    );

    this.api = { catalog: catalogApi, orders: ordersApi, rewards: rewardsApi, payments: paymentsApi, shipping: shippingApi };
    this.functionUrls = { catalog: catalogUrl, orders: ordersUrl, rewards: rewardsUrl, payments: paymentsUrl, shipping: shippingUrl };
    this.stripeWebhookUrl = stripeWebhookUrl;
    this.paymentsWebhook = paymentsWebhook;
    this.functions = [
      catalogApi,
      catalogEvents,
      holdSweep,
      ordersApi,
      ordersEvents,
      deadlineSweep,
      rewardsApi,
      rewardsEvents,
      rewardsExpiry,
      paymentsApi,
      paymentsWebhook,
      paymentsEvents,
      shippingApi,
      shippingEvents,
      ...relays.map((relay) => relay.function),
    ];
    this.deadLetterQueues = [
      catalogRules.deadLetterQueue,
      holdSweepDlq,
      ordersRules.deadLetterQueue,
      deadlineSweepDlq,
      rewardsRules.deadLetterQueue,
      expiryDlq,
      paymentsRules.deadLetterQueue,
      shippingRules.deadLetterQueue,
      ...relays.map((relay) => relay.deadLetterQueue),
      ...this.functions.flatMap((fn) => (fn.onFailureQueue ? [fn.onFailureQueue] : [])),
    ];
    for (const [context, url] of Object.entries(this.functionUrls)) {
      new CfnOutput(this, `${context}FunctionUrl`, { value: url.url, description: `The ${context} subgraph (AWS_IAM: callable by the gateway only)` });
    }
    new CfnOutput(this, 'StripeWebhookUrl', {
      value: Fn.join('', [stripeWebhookUrl.url, 'webhooks/stripe']),
      description: "Register it as the webhook endpoint in Stripe's dashboard; put its signing secret in the stripe-webhook-secret secret",
    });
  }
}

/**
 * What `grantInvokeUrl` grants (InvokeFunctionUrl with AWS_IAM auth, and InvokeFunction only through the URL), as
 * permissions on the callee's function naming the caller's role instead of statements in the caller's role policy.
 */
function allowFunctionUrlCalls(callee: AppFunction, caller: IRole, callerName: string): void {
  const principal = new ArnPrincipal(caller.roleArn);
  callee.fn.addPermission(`InvokeUrlBy${callerName}`, { principal, action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: FunctionUrlAuthType.AWS_IAM });
  callee.fn.addPermission(`InvokeViaUrlBy${callerName}`, { principal, action: 'lambda:InvokeFunction', invokedViaFunctionUrl: true });
}
