import { Tags, type App } from 'aws-cdk-lib';
import { environmentSettings, type EnvironmentSettings } from './environments';
import { CacheStack } from './stacks/cache-stack';
import { DataStack } from './stacks/data-stack';
import { EventsStack } from './stacks/events-stack';
import { GatewayStack } from './stacks/gateway-stack';
import { NetworkStack } from './stacks/network-stack';
import { DEFAULT_MAIL_FROM, NotificationsStack, QUEUE_AGE_ALARM_SECONDS } from './stacks/notifications-stack';
import { ObservabilityStack } from './stacks/observability-stack';
import { SubgraphsStack } from './stacks/subgraphs-stack';

export interface EcommerceStacks {
  readonly settings: EnvironmentSettings;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly events: EventsStack;
  readonly cache: CacheStack;
  readonly subgraphs: SubgraphsStack;
  readonly gateway: GatewayStack;
  readonly notifications: NotificationsStack;
  readonly observability: ObservabilityStack;
}

function optionalContext(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The whole system as eight stacks, named `ecommerce-<env>-<part>`, from the app's context:
 * `env` (dev | prod), and optionally `certificateArn` (HTTPS/WSS on the load balancer), `alarmEmail`, `mailFrom`
 * (the sender of customer emails, a verified SES identity), `shopUrl` (the storefront emails link to) and
 * `stripePublishableKey` (pk_live_... or pk_test_...: the storefront's card form, Stripe Elements; public by design).
 *
 * The stacks are environment-agnostic (they deploy to the account and region of the caller's credentials) and
 * nothing here looks anything up, so `cdk synth` needs no credentials and no network, and the templates are the
 * same offline and at deploy time.
 */
export function buildEcommerceApp(app: App): EcommerceStacks {
  const settings = environmentSettings(app.node.tryGetContext('env'));
  const name = (part: string) => `${settings.prefix}${part}`;
  const common = { settings };

  const network = new NetworkStack(app, name('network'), { ...common, description: 'ecommerce: VPC, NAT, endpoints, security groups' });
  const data = new DataStack(app, name('data'), { ...common, description: 'ecommerce: DynamoDB tables and secrets' });
  const events = new EventsStack(app, name('events'), { ...common, description: 'ecommerce: EventBridge bus and archive' });
  const cache = new CacheStack(app, name('cache'), {
    ...common,
    description: 'ecommerce: ElastiCache for Redis',
    vpc: network.vpc,
    clientSecurityGroups: [network.lambdaSecurityGroup, network.gatewaySecurityGroup],
  });
  const subgraphs = new SubgraphsStack(app, name('subgraphs'), {
    ...common,
    description: 'ecommerce: Catalog, Orders, Rewards and Shipping subgraphs on Lambda, outbox relays, consumers, schedule',
    vpc: network.vpc,
    lambdaSecurityGroup: network.lambdaSecurityGroup,
    tables: data.tables,
    signingSecret: data.signingSecret,
    eventSigningSecret: data.eventSigningSecret,
    stripeSecretKey: data.stripeSecretKey,
    stripeWebhookSecret: data.stripeWebhookSecret,
    bus: events.bus,
    redisUrl: cache.redisUrl,
  });
  const gateway = new GatewayStack(app, name('gateway'), {
    ...common,
    description: 'ecommerce: gateway on ECS Fargate behind an ALB, subscriptions fan-out',
    vpc: network.vpc,
    gatewaySecurityGroup: network.gatewaySecurityGroup,
    loadBalancerSecurityGroup: network.loadBalancerSecurityGroup,
    lambdaSecurityGroup: network.lambdaSecurityGroup,
    subgraphs,
    bus: events.bus,
    redisUrl: cache.redisUrl,
    jwtSecret: data.jwtSecret,
    signingSecret: data.signingSecret,
    eventSigningSecret: data.eventSigningSecret,
    certificateArn: optionalContext(app, 'certificateArn'),
    stripePublishableKey: optionalContext(app, 'stripePublishableKey'),
  });
  const notifications = new NotificationsStack(app, name('notifications'), {
    ...common,
    description: 'ecommerce: customer emails (EventBridge rule -> SQS -> Lambda -> SES)',
    bus: events.bus,
    signingSecret: data.signingSecret,
    eventSigningSecret: data.eventSigningSecret,
    ordersUrl: subgraphs.functionUrls.orders,
    mailFrom: optionalContext(app, 'mailFrom') ?? DEFAULT_MAIL_FROM,
    shopUrl: optionalContext(app, 'shopUrl'),
  });
  const observability = new ObservabilityStack(app, name('observability'), {
    ...common,
    description: 'ecommerce: alarms and dashboard',
    functions: [...subgraphs.functions, gateway.fanout, notifications.function],
    apiFunctions: Object.values(subgraphs.api),
    ordersApi: subgraphs.api.orders,
    paymentsWebhook: subgraphs.paymentsWebhook,
    deadLetterQueues: [...subgraphs.deadLetterQueues, ...gateway.deadLetterQueues, ...notifications.deadLetterQueues],
    workQueues: [{ queue: notifications.queue, maxAgeSeconds: QUEUE_AGE_ALARM_SECONDS, description: 'customer emails are late' }],
    gateway,
    alarmEmail: optionalContext(app, 'alarmEmail'),
  });

  const stacks = { settings, network, data, events, cache, subgraphs, gateway, notifications, observability };
  for (const stack of [network, data, events, cache, subgraphs, gateway, notifications, observability]) {
    Tags.of(stack).add('project', 'ecommerce');
    Tags.of(stack).add('environment', settings.name);
  }
  return stacks;
}
