import { resolve } from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc } from 'aws-cdk-lib/aws-ec2';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LAMBDA_ENTRY_FILES, REPO_ROOT, nodejsBundling, type LambdaEntryName } from '../bundling';
import type { EnvironmentSettings } from '../environments';
import { deadLetterQueue } from './dead-letter-queue';

export interface AppFunctionProps {
  readonly settings: EnvironmentSettings;
  /** The function's name after the deployment prefix, e.g. `catalog-api`. */
  readonly name: string;
  readonly entry: LambdaEntryName;
  /** The exported handler of the entry file. */
  readonly handler: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memoryMiB?: number;
  /** Functions that reach Redis run in the VPC's private subnets, in this security group. */
  readonly vpc?: { readonly vpc: IVpc; readonly securityGroup: ISecurityGroup };
  /**
   * Invoked asynchronously (EventBridge rules, Scheduler): Lambda retries a failed invocation twice and then sends
   * it to an on-failure queue. The rule's or schedule's own dead-letter queue covers only failed deliveries.
   */
  readonly asyncInvoked?: boolean;
}

/**
 * One Lambda function of the system: nodejs22.x on arm64 (Graviton: cheaper per GB-second, same code), bundled
 * by local esbuild with the shared options, active X-Ray tracing, its own log group with the environment's
 * retention, and an on-failure queue when invoked asynchronously.
 */
export class AppFunction extends Construct {
  /** The name after the deployment prefix (`catalog-api`): alarm and dashboard labels. */
  readonly name: string;
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly onFailureQueue: Queue | undefined;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { settings } = props;
    this.name = props.name;
    this.logGroup = new LogGroup(this, 'Logs', { retention: settings.logRetention, removalPolicy: settings.removalPolicy });
    this.onFailureQueue = props.asyncInvoked ? deadLetterQueue(this, 'OnFailure', settings) : undefined;
    this.fn = new NodejsFunction(this, 'Function', {
      functionName: `${settings.prefix}${props.name}`,
      description: props.description,
      entry: resolve(REPO_ROOT, LAMBDA_ENTRY_FILES[props.entry]),
      handler: props.handler,
      projectRoot: REPO_ROOT,
      depsLockFilePath: resolve(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMiB ?? settings.lambda.memoryMiB,
      timeout: props.timeout,
      bundling: nodejsBundling(),
      environment: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        TABLE_PREFIX: settings.prefix,
        ...props.environment,
      },
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      ...(props.vpc
        ? { vpc: props.vpc.vpc, vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS }, securityGroups: [props.vpc.securityGroup] }
        : {}),
      ...(this.onFailureQueue
        ? { onFailure: new SqsDestination(this.onFailureQueue), retryAttempts: 2, maxEventAge: settings.asyncMaxEventAge }
        : {}),
    });
  }
}
