import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const DEPLOYMENT_ENVIRONMENTS = ['dev', 'prod'] as const;
export type DeploymentEnvironment = (typeof DEPLOYMENT_ENVIRONMENTS)[number];

/**
 * Everything `-c env=dev|prod` changes: retention, deletion protection and capacity. Nothing else differs, so a
 * dev deployment exercises the same wiring as prod.
 */
export interface EnvironmentSettings {
  readonly name: DeploymentEnvironment;
  /**
   * The deployment's namespace (`TABLE_PREFIX`): it prefixes table, secret and bus names, and the app prefixes
   * its Redis keys and channels with it, so the fan-out Lambda and the gateway must be given the same one.
   */
  readonly prefix: string;
  /** Stateful resources (tables, secrets, dead-letter queues, logs): kept in prod when the stack goes, removed in dev. */
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly logRetention: RetentionDays;
  readonly archiveRetention: Duration;
  readonly network: { readonly natGateways: number };
  readonly cache: {
    readonly nodeType: string;
    /** Nodes in the replication group: 1 = primary only; 2 = primary + replica with failover across AZs. */
    readonly nodes: number;
  };
  readonly lambda: { readonly memoryMiB: number };
  readonly gateway: {
    readonly cpu: number;
    readonly memoryMiB: number;
    readonly minTasks: number;
    readonly maxTasks: number;
    readonly cpuTargetPercent: number;
  };
  /** How long EventBridge keeps retrying a target before the event goes to the target's dead-letter queue. */
  readonly maxEventAge: Duration;
  /** How long Lambda keeps an asynchronous invocation for retries before its on-failure queue (at most 6 h). */
  readonly asyncMaxEventAge: Duration;
}

const SETTINGS: Readonly<Record<DeploymentEnvironment, EnvironmentSettings>> = {
  dev: {
    name: 'dev',
    prefix: 'ecommerce-dev-',
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    logRetention: RetentionDays.ONE_WEEK,
    archiveRetention: Duration.days(7),
    network: { natGateways: 1 },
    cache: { nodeType: 'cache.t4g.micro', nodes: 1 },
    lambda: { memoryMiB: 512 },
    gateway: { cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 2, cpuTargetPercent: 60 },
    maxEventAge: Duration.hours(1),
    asyncMaxEventAge: Duration.hours(1),
  },
  prod: {
    name: 'prod',
    prefix: 'ecommerce-prod-',
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    logRetention: RetentionDays.THREE_MONTHS,
    archiveRetention: Duration.days(90),
    // One NAT gateway per AZ: losing an AZ does not cut the other AZ's functions and tasks off.
    network: { natGateways: 2 },
    cache: { nodeType: 'cache.t4g.small', nodes: 2 },
    lambda: { memoryMiB: 1024 },
    gateway: { cpu: 512, memoryMiB: 1024, minTasks: 2, maxTasks: 10, cpuTargetPercent: 60 },
    maxEventAge: Duration.hours(24),
    asyncMaxEventAge: Duration.hours(6),
  },
};

/** The settings of `-c env=...` (dev when not given); anything else is refused with the accepted values. */
export function environmentSettings(requested: unknown): EnvironmentSettings {
  const name = requested ?? 'dev';
  if (typeof name !== 'string' || !(DEPLOYMENT_ENVIRONMENTS as readonly string[]).includes(name)) {
    throw new Error(`-c env=${String(name)}: expected one of ${DEPLOYMENT_ENVIRONMENTS.join(', ')}`);
  }
  return SETTINGS[name as DeploymentEnvironment];
}
