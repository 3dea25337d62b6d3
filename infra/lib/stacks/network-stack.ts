import { Stack, type StackProps } from 'aws-cdk-lib';
import { GatewayVpcEndpointAwsService, Peer, Port, SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../environments';

export interface NetworkStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
}

export const GATEWAY_PORT = 4000;

/**
 * The VPC and the security groups every other stack places its resources in:
 * - public subnets: the gateway's load balancer and the NAT gateways;
 * - private subnets with egress: the gateway tasks, the Lambda functions that reach Redis, and Redis itself.
 *   Egress goes through NAT because those functions and tasks call Lambda function URLs (public endpoints
 *   only) besides AWS APIs; DynamoDB traffic takes a free gateway endpoint instead, off the NAT's data charge.
 *
 * Security groups live here, together, so the rules between them stay inside one stack (no cross-stack cycles):
 * the load balancer takes 80/443 from anywhere, the gateway tasks take 4000 from the load balancer only, and the
 * cache stack lets 6379 in from the Lambda and gateway groups only.
 */
export class NetworkStack extends Stack {
  readonly vpc: Vpc;
  readonly lambdaSecurityGroup: SecurityGroup;
  readonly gatewaySecurityGroup: SecurityGroup;
  readonly loadBalancerSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: settings.network.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      gatewayEndpoints: { DynamoDb: { service: GatewayVpcEndpointAwsService.DYNAMODB } },
    });

    this.lambdaSecurityGroup = new SecurityGroup(this, 'LambdaSecurityGroup', {
      vpc: this.vpc,
      description: 'Lambda functions that reach Redis (Orders API and consumer, gateway fan-out)',
      allowAllOutbound: true,
    });
    this.loadBalancerSecurityGroup = new SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: 'Gateway load balancer: HTTP(S) and WebSocket clients',
      allowAllOutbound: false,
    });
    this.gatewaySecurityGroup = new SecurityGroup(this, 'GatewaySecurityGroup', {
      vpc: this.vpc,
      description: 'Gateway tasks: traffic from the load balancer only',
      allowAllOutbound: true,
    });
    this.loadBalancerSecurityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), 'HTTP and ws:// clients');
    this.loadBalancerSecurityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS and wss:// clients');
    this.loadBalancerSecurityGroup.addEgressRule(this.gatewaySecurityGroup, Port.tcp(GATEWAY_PORT), 'to the gateway tasks');
    this.gatewaySecurityGroup.addIngressRule(this.loadBalancerSecurityGroup, Port.tcp(GATEWAY_PORT), 'from the load balancer');
  }
}
