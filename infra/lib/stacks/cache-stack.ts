import { CfnOutput, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Port, SecurityGroup, SubnetType, type ISecurityGroup, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { CfnReplicationGroup, CfnSubnetGroup } from 'aws-cdk-lib/aws-elasticache';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../environments';

export interface CacheStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly vpc: IVpc;
  /** The only groups allowed to connect: the Lambda functions that use Redis and the gateway tasks. */
  readonly clientSecurityGroups: readonly ISecurityGroup[];
}

export const REDIS_PORT = 6379;

/**
 * ElastiCache for Redis, the undici HTTP cache store of the Orders ACL and the gateway's subscription pub/sub.
 *
 * A replication group in non-cluster mode, not cluster mode or ElastiCache Serverless: the cache store keeps
 * several keys per entry (value, tag index) and the Redis Streams transport runs MULTI and XREADGROUP over several
 * streams at once; cluster mode (and Serverless, which is cluster mode) would spread those keys over hash slots
 * and refuse the multi-key commands. One shard holds this system's working set with room to spare.
 *
 * Private subnets only, TLS in transit (clients use `rediss://`), encryption at rest, and a security group that
 * takes 6379 from the client groups and nothing else. dev: one node; prod: primary + replica in another AZ with
 * automatic failover.
 */
export class CacheStack extends Stack {
  readonly replicationGroup: CfnReplicationGroup;
  readonly securityGroup: SecurityGroup;
  /** `rediss://<primary endpoint>:6379`: REDIS_URL of every client. */
  readonly redisUrl: string;

  constructor(scope: Construct, id: string, props: CacheStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Redis: 6379 from the Lambda functions and gateway tasks only',
      allowAllOutbound: false,
    });
    for (const client of props.clientSecurityGroups) {
      this.securityGroup.addIngressRule(client, Port.tcp(REDIS_PORT), 'Redis clients');
    }

    const subnetGroup = new CfnSubnetGroup(this, 'SubnetGroup', {
      description: 'Private subnets of the ecommerce VPC',
      subnetIds: props.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
    });
    const replicated = settings.cache.nodes > 1;
    this.replicationGroup = new CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: `ecommerce ${settings.name}: HTTP cache and subscription pub/sub`,
      engine: 'redis',
      engineVersion: '7.1',
      cacheParameterGroupName: 'default.redis7',
      clusterMode: 'disabled',
      cacheNodeType: settings.cache.nodeType,
      numCacheClusters: settings.cache.nodes,
      automaticFailoverEnabled: replicated,
      multiAzEnabled: replicated,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      port: REDIS_PORT,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      autoMinorVersionUpgrade: true,
    });
    // Nothing in it outlives a restart on purpose (HTTP cache entries, pub/sub; on AWS the events travel on
    // EventBridge, not Redis Streams): no snapshots, and it goes with the stack in prod too.
    this.replicationGroup.applyRemovalPolicy(RemovalPolicy.DESTROY);

    this.redisUrl = Fn.join('', ['rediss://', this.replicationGroup.attrPrimaryEndPointAddress, ':', this.replicationGroup.attrPrimaryEndPointPort]);
    new CfnOutput(this, 'RedisUrl', { value: this.redisUrl, description: 'REDIS_URL (reachable from inside the VPC only)' });
  }
}
