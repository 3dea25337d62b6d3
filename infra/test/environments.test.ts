import { describe, it, expect } from '@jest/globals';
import { RemovalPolicy } from 'aws-cdk-lib';
import { environmentSettings } from '../lib/environments';

describe('-c env=dev|prod', () => {
  it('defaults to dev and refuses anything else with the accepted values', () => {
    expect(environmentSettings(undefined).name).toBe('dev');
    expect(() => environmentSettings('staging')).toThrow('-c env=staging: expected one of dev, prod');
  });

  it('changes retention, deletion protection and capacity, and the namespace', () => {
    const dev = environmentSettings('dev');
    const prod = environmentSettings('prod');
    expect([dev.removalPolicy, dev.deletionProtection]).toEqual([RemovalPolicy.DESTROY, false]);
    expect([prod.removalPolicy, prod.deletionProtection]).toEqual([RemovalPolicy.RETAIN, true]);
    expect(prod.logRetention).toBeGreaterThan(dev.logRetention);
    expect(prod.cache.nodes).toBeGreaterThan(dev.cache.nodes);
    expect(prod.gateway.minTasks).toBeGreaterThan(dev.gateway.minTasks);
    expect(prod.lambda.memoryMiB).toBeGreaterThan(dev.lambda.memoryMiB);
    expect([dev.prefix, prod.prefix]).toEqual(['ecommerce-dev-', 'ecommerce-prod-']);
  });
});
