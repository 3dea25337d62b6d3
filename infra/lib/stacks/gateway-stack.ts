import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { SubnetType, type ISecurityGroup, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
  Secret as EcsSecret,
} from 'aws-cdk-lib/aws-ecs';
import {
  ApplicationListener,
  ApplicationLoadBalancer,
  ApplicationProtocol,
  ApplicationTargetGroup,
  ListenerAction,
  ListenerCertificate,
  TargetType,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ORDER_STATUS_EVENT_TYPES } from '../../../lib/events/schemas';
import { PRODUCT_CHANGE_EVENT_TYPES } from '../../../lib/events/product-changes';
import { REPO_ROOT } from '../bundling';
import { AppFunction } from '../constructs/app-function';
import type { DeadLetterQueues } from '../constructs/dead-letter-queue';
import { EventConsumerRules } from '../constructs/event-consumer-rules';
import type { EnvironmentSettings } from '../environments';
import { grantSecretValue } from '../permissions';
import { GATEWAY_PORT } from './network-stack';
import type { SubgraphsStack } from './subgraphs-stack';

export interface GatewayStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly vpc: IVpc;
  readonly gatewaySecurityGroup: ISecurityGroup;
  readonly loadBalancerSecurityGroup: ISecurityGroup;
  readonly lambdaSecurityGroup: ISecurityGroup;
  readonly subgraphs: Pick<SubgraphsStack, 'api' | 'functionUrls'>;
  readonly bus: IEventBus;
  readonly redisUrl: string;
  readonly jwtSecret: ISecret;
  readonly signingSecret: ISecret;
  readonly eventSigningSecret: ISecret;
  /** An ACM certificate for HTTPS/WSS (`-c certificateArn=...`); plain HTTP/WS without one. */
  readonly certificateArn?: string | undefined;
  /**
   * Stripe's publishable key (`-c stripePublishableKey=pk_...`), which the storefront's card form (Stripe Elements)
   * needs; public by design, so plain configuration rather than a secret. Without it the storefront takes no cards.
   */
  readonly stripePublishableKey?: string | undefined;
}

/**
 * Besides .dockerignore: what the image build never reads (the bundle is built from lib, subgraphs, gateway,
 * scripts and schema), so that editing docs, tests or this app does not change the image hash and redeploy tasks.
 */
export const GATEWAY_IMAGE_EXCLUDES = ['infra', 'docs', 'bench', 'test', '.ci', '**/*.test.ts', '**/test-support', '*.md', 'docker-compose.yml'] as const;

/** Well above graphql-ws's 12 s keep-alive (SUBSCRIPTIONS_KEEPALIVE_MS), so idle subscriptions stay connected. */
export const LOAD_BALANCER_IDLE_TIMEOUT = Duration.seconds(300);

/**
 * The gateway, where WebSocket subscriptions need a long-lived process: ECS Fargate tasks behind an Application
 * Load Balancer (ALB forwards WebSocket upgrades natively), scaling on CPU, the balancer probing /health/ready and
 * ECS /health/live. The image
 * is the repository's Dockerfile (`gateway` part), carrying the composed `schema/supergraph.graphql`. It reaches
 * the subgraphs' function URLs signing with its task role, and receives order status changes from Redis pub/sub,
 * published there by the fan-out Lambda on the order status rule.
 */
export class GatewayStack extends Stack implements DeadLetterQueues {
  readonly service: FargateService;
  readonly loadBalancer: ApplicationLoadBalancer;
  readonly targetGroup: ApplicationTargetGroup;
  readonly fanout: AppFunction;
  readonly deadLetterQueues: readonly Queue[];

  constructor(scope: Construct, id: string, props: GatewayStackProps) {
    super(scope, id, props);
    const { settings, subgraphs } = props;

    this.fanout = new AppFunction(this, 'OrderStatusFanout', {
      settings,
      name: 'gateway-fanout',
      entry: 'fanout',
      handler: 'handler',
      description: 'Order status events -> Redis pub/sub channel of each order (gateway subscriptions)',
      timeout: Duration.seconds(15),
      memoryMiB: 256,
      environment: {
        REDIS_URL: props.redisUrl,
        EVENT_BUS: 'eventbridge',
        EVENT_BUS_NAME: props.bus.eventBusName,
        GATEWAY_SIGNING_SECRET_ARN: props.signingSecret.secretArn,
        EVENT_SIGNING_SECRET_ARN: props.eventSigningSecret.secretArn,
      },
      vpc: { vpc: props.vpc, securityGroup: props.lambdaSecurityGroup },
      asyncInvoked: true,
    });
    // Production mode demands both signing secrets in every process (lib/config); the fan-out verifies envelopes.
    grantSecretValue(this.fanout.fn, props.signingSecret);
    grantSecretValue(this.fanout.fn, props.eventSigningSecret);
    const fanoutRules = new EventConsumerRules(this, 'OrderStatusRules', {
      settings,
      bus: props.bus,
      target: this.fanout.fn,
      // Order status changes for subscriptions; product and stock changes for the gateways' response cache.
      types: [...ORDER_STATUS_EVENT_TYPES, ...PRODUCT_CHANGE_EVENT_TYPES],
      description: 'Gateway fan-out',
    });
    this.deadLetterQueues = [fanoutRules.deadLetterQueue, ...(this.fanout.onFailureQueue ? [this.fanout.onFailureQueue] : [])];

    const cluster = new Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: ContainerInsights.ENABLED });
    const taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: settings.gateway.cpu,
      memoryLimitMiB: settings.gateway.memoryMiB,
      // x86_64: the image is built on the deployer's machine, and most Docker hosts build amd64 natively.
      runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    const logGroup = new LogGroup(this, 'Logs', { retention: settings.logRetention, removalPolicy: settings.removalPolicy });
    const graphqlUrl = (context: keyof SubgraphsStack['functionUrls']) => `${subgraphs.functionUrls[context].url}graphql`;
    taskDefinition.addContainer('gateway', {
      image: ContainerImage.fromAsset(REPO_ROOT, { file: 'Dockerfile', platform: Platform.LINUX_AMD64, exclude: [...GATEWAY_IMAGE_EXCLUDES] }),
      command: ['gateway'],
      portMappings: [{ containerPort: GATEWAY_PORT }],
      logging: LogDrivers.awsLogs({ logGroup, streamPrefix: 'gateway' }),
      environment: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        GATEWAY_PORT: String(GATEWAY_PORT),
        TABLE_PREFIX: settings.prefix,
        EVENT_BUS: 'eventbridge',
        EVENT_BUS_NAME: props.bus.eventBusName,
        REDIS_URL: props.redisUrl,
        // The load balancer sits in the VPC and appends the client's address to X-Forwarded-For: rate limits key on it.
        TRUSTED_PROXIES: props.vpc.vpcCidrBlock,
        SUBGRAPH_AUTH: 'iam',
        CATALOG_URL: graphqlUrl('catalog'),
        ORDERS_URL: graphqlUrl('orders'),
        REWARDS_URL: graphqlUrl('rewards'),
        PAYMENTS_URL: graphqlUrl('payments'),
        SHIPPING_URL: graphqlUrl('shipping'),
        AWS_REGION: this.region,
        ...(props.stripePublishableKey ? { STRIPE_PUBLISHABLE_KEY: props.stripePublishableKey } : {}),
      },
      // Injected by the ECS agent at start (the execution role reads them), never part of the task definition.
      secrets: {
        JWT_SECRET: EcsSecret.fromSecretsManager(props.jwtSecret),
        GATEWAY_SIGNING_SECRET: EcsSecret.fromSecretsManager(props.signingSecret),
        EVENT_SIGNING_SECRET: EcsSecret.fromSecretsManager(props.eventSigningSecret),
      },
      // Liveness only: ECS replaces a task whose check fails, and a subgraph or Redis outage is not cured by
      // restarting the gateway (the load balancer's readiness check takes it out of rotation instead). The slim
      // Node image has no curl: Node's fetch probes.
      healthCheck: {
        command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${GATEWAY_PORT}/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      // Time for the gateway to close WebSockets and drain on SIGTERM (scale-in, deployments).
      stopTimeout: Duration.seconds(30),
    });
    for (const context of ['catalog', 'orders', 'rewards', 'payments', 'shipping'] as const) subgraphs.api[context].fn.grantInvokeUrl(taskDefinition.taskRole);

    this.service = new FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: settings.gateway.minTasks,
      securityGroups: [props.gatewaySecurityGroup],
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
    });
    const scaling = this.service.autoScaleTaskCount({ minCapacity: settings.gateway.minTasks, maxCapacity: settings.gateway.maxTasks });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: settings.gateway.cpuTargetPercent,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });

    this.loadBalancer = new ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      securityGroup: props.loadBalancerSecurityGroup,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      idleTimeout: LOAD_BALANCER_IDLE_TIMEOUT,
      dropInvalidHeaderFields: true,
    });
    this.targetGroup = new ApplicationTargetGroup(this, 'Gateway', {
      vpc: props.vpc,
      port: GATEWAY_PORT,
      protocol: ApplicationProtocol.HTTP,
      targetType: TargetType.IP,
      // Readiness: supergraph loaded, subgraphs and Redis answering (results cached a few seconds by the gateway).
      healthCheck: { path: '/health/ready', healthyHttpCodes: '200', interval: Duration.seconds(15), healthyThresholdCount: 2 },
      deregistrationDelay: Duration.seconds(30),
    });
    this.service.attachToApplicationTargetGroup(this.targetGroup);

    // The security groups are opened in the network stack; the listeners must not add rules of their own.
    const scheme = props.certificateArn ? { http: 'https', ws: 'wss' } : { http: 'http', ws: 'ws' };
    if (props.certificateArn) {
      new ApplicationListener(this, 'Https', {
        loadBalancer: this.loadBalancer,
        port: 443,
        protocol: ApplicationProtocol.HTTPS,
        certificates: [ListenerCertificate.fromArn(props.certificateArn)],
        defaultTargetGroups: [this.targetGroup],
        open: false,
      });
      new ApplicationListener(this, 'Http', {
        loadBalancer: this.loadBalancer,
        port: 80,
        protocol: ApplicationProtocol.HTTP,
        defaultAction: ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
        open: false,
      });
    } else {
      new ApplicationListener(this, 'Http', {
        loadBalancer: this.loadBalancer,
        port: 80,
        protocol: ApplicationProtocol.HTTP,
        defaultTargetGroups: [this.targetGroup],
        open: false,
      });
    }

    const host = this.loadBalancer.loadBalancerDnsName;
    new CfnOutput(this, 'GatewayUrl', { value: `${scheme.http}://${host}/graphql`, description: 'GraphQL over HTTP' });
    new CfnOutput(this, 'GatewayWebSocketUrl', { value: `${scheme.ws}://${host}/graphql`, description: 'Subscriptions (graphql-ws)' });
    new CfnOutput(this, 'GatewayHealthUrl', { value: `${scheme.http}://${host}/health` });
  }
}
