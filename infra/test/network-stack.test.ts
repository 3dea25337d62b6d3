import { describe, it, expect } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { resourcesOfType, synthesizeForSuite, type SynthesizedApp } from './support/synth';

describe('network stack', () => {
  let dev: SynthesizedApp;
  let prod: SynthesizedApp;
  synthesizeForSuite((apps) => ({ dev, prod } = apps));

  it('a VPC over two AZs with public and private subnets; one NAT in dev, one per AZ in prod', () => {
    const template = dev.templates.network;
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 4);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    prod.templates.network.resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  it('DynamoDB traffic takes a gateway endpoint instead of the NAT', () => {
    dev.templates.network.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('dynamodb')])]) }),
      VpcEndpointType: 'Gateway',
    });
  });

  it('the load balancer takes 80/443 from anywhere; the gateway tasks take 4000 from the load balancer only', () => {
    const template = dev.templates.network;
    const groups = Object.fromEntries(resourcesOfType(template, 'AWS::EC2::SecurityGroup'));
    const [albId] = Object.entries(groups).find(([, group]) => String(group.Properties['GroupDescription']).startsWith('Gateway load balancer'))!;
    const [gatewayId, gateway] = Object.entries(groups).find(([, group]) => String(group.Properties['GroupDescription']).startsWith('Gateway tasks'))!;
    expect(groups[albId]!.Properties['SecurityGroupIngress']).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 }),
      expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
    ]);
    expect(gateway.Properties['SecurityGroupIngress']).toBeUndefined();
    const gatewayIngress = resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').filter(
      ([, rule]) => JSON.stringify(rule.Properties['GroupId']).includes(gatewayId),
    );
    expect(gatewayIngress).toHaveLength(1);
    expect(gatewayIngress[0]![1].Properties).toMatchObject({ FromPort: 4000, ToPort: 4000, SourceSecurityGroupId: { 'Fn::GetAtt': [albId, 'GroupId'] } });
  });
});
