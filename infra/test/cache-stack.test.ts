import { describe, it, expect } from '@jest/globals';
import { resourcesOfType, synthesizeForSuite, type SynthesizedApp } from './support/synth';

describe('cache stack', () => {
  let dev: SynthesizedApp;
  let prod: SynthesizedApp;
  synthesizeForSuite((apps) => ({ dev, prod } = apps));

  it('one Redis 7 replication group in non-cluster mode, TLS in transit and encrypted at rest, in private subnets', () => {
    const template = dev.templates.cache;
    template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
    template.resourceCountIs('AWS::ElastiCache::ServerlessCache', 0);
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      EngineVersion: '7.1',
      ClusterMode: 'disabled',
      CacheParameterGroupName: 'default.redis7',
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      Port: 6379,
    });
    const [[, subnetGroup]] = resourcesOfType(template, 'AWS::ElastiCache::SubnetGroup') as [[string, { Properties: Record<string, unknown> }]];
    expect(JSON.stringify(subnetGroup.Properties['SubnetIds'])).toMatch(/privateSubnet/);
    expect(JSON.stringify(subnetGroup.Properties['SubnetIds'])).not.toMatch(/publicSubnet/);
  });

  it('dev: a single node; prod: primary and replica with automatic failover across AZs', () => {
    dev.templates.cache.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      CacheNodeType: 'cache.t4g.micro',
      NumCacheClusters: 1,
      AutomaticFailoverEnabled: false,
      MultiAZEnabled: false,
    });
    prod.templates.cache.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
    });
  });

  it('takes 6379 from the Lambda and gateway security groups only, and opens nothing outbound', () => {
    const template = dev.templates.cache;
    const [[, group]] = resourcesOfType(template, 'AWS::EC2::SecurityGroup') as [[string, { Properties: Record<string, unknown> }]];
    expect(group.Properties['SecurityGroupIngress']).toBeUndefined();
    expect(group.Properties['SecurityGroupEgress']).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
    const ingress = resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').map(([, rule]) => rule.Properties);
    expect(ingress).toHaveLength(2);
    for (const rule of ingress) {
      expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379 });
      expect(rule['CidrIp']).toBeUndefined();
    }
    const sources = ingress.map((rule) => JSON.stringify(rule['SourceSecurityGroupId']));
    expect(sources.some((source) => source.includes('LambdaSecurityGroup'))).toBe(true);
    expect(sources.some((source) => source.includes('GatewaySecurityGroup'))).toBe(true);
  });

  it('clients connect with TLS to the primary endpoint', () => {
    expect(dev.stacks.cache.resolve(dev.stacks.cache.redisUrl)).toEqual({
      'Fn::Join': ['', ['rediss://', { 'Fn::GetAtt': [expect.any(String), 'PrimaryEndPoint.Address'] }, ':', { 'Fn::GetAtt': [expect.any(String), 'PrimaryEndPoint.Port'] }]],
    });
  });
});
