import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { ORDER_STATUS_EVENT_TYPES } from '../../lib/events/schemas';
import { PRODUCT_CHANGE_EVENT_TYPES } from '../../lib/events/product-changes';
import { actionsGranted, resourcesOf, resourcesOfType, statementsOf, synthesize, type SynthesizedApp } from './support/synth';

type Container = { Name: string; Command: string[]; PortMappings: { ContainerPort: number }[]; Environment: { Name: string; Value: unknown }[]; Secrets: { Name: string; ValueFrom: unknown }[]; HealthCheck: { Command: string[] } };

describe('gateway stack', () => {
  let dev: SynthesizedApp;
  let prod: SynthesizedApp;
  beforeAll(() => {
    dev = synthesize('dev');
    prod = synthesize('prod', { context: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc', stripePublishableKey: 'pk_live_Storefront123' } });
  });
  afterAll(() => {
    dev.cleanup();
    prod.cleanup();
  });

  const container = (app: SynthesizedApp): Container => {
    const [[, task]] = resourcesOfType(app.templates.gateway, 'AWS::ECS::TaskDefinition') as [[string, { Properties: { ContainerDefinitions: Container[] } }]];
    expect(task.Properties.ContainerDefinitions).toHaveLength(1);
    return task.Properties.ContainerDefinitions[0]!;
  };
  const environment = (app: SynthesizedApp) => Object.fromEntries(container(app).Environment.map((variable) => [variable.Name, variable.Value]));

  it('runs the gateway on Fargate behind an internet-facing ALB, with the fan-out Lambda', () => {
    const template = dev.templates.gateway;
    template.resourceCountIs('AWS::ECS::Cluster', 1);
    template.resourceCountIs('AWS::ECS::Service', 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 1,
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing', Type: 'application' });
  });

  it('keeps WebSockets open: ALB idle timeout well above the graphql-ws keep-alive', () => {
    dev.templates.gateway.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '300' }]),
    });
  });

  it('probes readiness at the load balancer and liveness in the container, on the container port', () => {
    dev.templates.gateway.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 4000,
      Protocol: 'HTTP',
      TargetType: 'ip',
      HealthCheckPath: '/health/ready',
      Matcher: { HttpCode: '200' },
    });
    const gateway = container(dev);
    expect(gateway.PortMappings).toEqual([expect.objectContaining({ ContainerPort: 4000 })]);
    expect(gateway.HealthCheck.Command.join(' ')).toContain("fetch('http://127.0.0.1:4000/health/live')");
  });

  it('runs the repository image as its `gateway` part, configured for function URLs signed with IAM', () => {
    const gateway = container(dev);
    expect(gateway.Command).toEqual(['gateway']);
    const variables = environment(dev);
    expect(variables).toMatchObject({
      NODE_ENV: 'production',
      EVENT_BUS: 'eventbridge',
      SUBGRAPH_AUTH: 'iam',
      GATEWAY_PORT: '4000',
      TABLE_PREFIX: 'ecommerce-dev-',
      AWS_REGION: { Ref: 'AWS::Region' },
    });
    for (const name of ['CATALOG_URL', 'ORDERS_URL', 'REWARDS_URL', 'PAYMENTS_URL', 'SHIPPING_URL']) {
      // The function URL ends with "/": the subgraph's endpoint is <url>graphql.
      const joined = JSON.stringify(variables[name]);
      expect(joined).toContain('"graphql"');
      expect(joined).toContain('FunctionUrl');
    }
    expect(JSON.stringify(variables['REDIS_URL'])).toContain('rediss://');
    // Rate limits key on the client address the load balancer reports, and only it may report one.
    expect(JSON.stringify(variables['TRUSTED_PROXIES'])).toContain('CidrBlock');
    expect(variables['JWT_SECRET']).toBeUndefined();
    expect(variables['GATEWAY_SIGNING_SECRET']).toBeUndefined();
    expect(variables['EVENT_SIGNING_SECRET']).toBeUndefined();
  });

  it("gives the storefront Stripe's publishable key when the app's context has one, and no other Stripe setting", () => {
    expect(environment(prod)['STRIPE_PUBLISHABLE_KEY']).toBe('pk_live_Storefront123');
    expect(environment(dev)['STRIPE_PUBLISHABLE_KEY']).toBeUndefined();
    for (const app of [dev, prod]) expect(Object.keys(environment(app)).filter((name) => name.startsWith('STRIPE_'))).toEqual(app === prod ? ['STRIPE_PUBLISHABLE_KEY'] : []);
  });

  it('injects the three secrets from Secrets Manager through ECS secrets, readable by the execution role only', () => {
    const gateway = container(dev);
    expect(gateway.Secrets.map((secret) => secret.Name).sort()).toEqual(['EVENT_SIGNING_SECRET', 'GATEWAY_SIGNING_SECRET', 'JWT_SECRET']);
    const { taskDefinition } = dev.stacks.gateway.service;
    expect([...actionsGranted(dev.templates.gateway, taskDefinition.obtainExecutionRole())]).toEqual(
      expect.arrayContaining(['secretsmanager:GetSecretValue']),
    );
    expect([...actionsGranted(dev.templates.gateway, taskDefinition.taskRole)].filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
  });

  it('lets its task role invoke the five subgraph function URLs, and nothing else', () => {
    const statements = statementsOf(dev.templates.gateway, dev.stacks.gateway.service.taskDefinition.taskRole);
    const urlGrants = statements.filter((statement) => statement.Action === 'lambda:InvokeFunctionUrl');
    expect(urlGrants.length).toBeGreaterThan(0);
    for (const grant of urlGrants) expect(grant.Condition).toEqual({ StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } });
    const functions = urlGrants.flatMap(resourcesOf).map((resource) => JSON.stringify(resource).match(/(Catalog|Orders|Rewards|Payments|Shipping)ApiFunction/)?.[1]);
    expect(functions.sort()).toEqual(['Catalog', 'Orders', 'Payments', 'Rewards', 'Shipping']);
    expect(new Set(statements.map((statement) => statement.Action))).toEqual(new Set(['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction']));
  });

  it('scales on CPU between the environment bounds', () => {
    dev.templates.gateway.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 2 });
    prod.templates.gateway.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
    dev.templates.gateway.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 60,
      }),
    });
  });

  it('serves HTTPS/WSS with a certificate and redirects HTTP; plain HTTP/WS without one', () => {
    dev.templates.gateway.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    dev.templates.gateway.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    prod.templates.gateway.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
    prod.templates.gateway.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect' })],
    });
    const outputs = dev.templates.gateway.findOutputs('GatewayWebSocketUrl');
    expect(JSON.stringify(outputs)).toContain('ws://');
    expect(JSON.stringify(prod.templates.gateway.findOutputs('GatewayWebSocketUrl'))).toContain('wss://');
  });

  it('the fan-out Lambda takes order status and product events into Redis, with a DLQ on the rule targets and on failures', () => {
    const template = dev.templates.gateway;
    for (const [source, types] of [
      ['ecommerce.orders', [...ORDER_STATUS_EVENT_TYPES]],
      ['ecommerce.catalog', [...PRODUCT_CHANGE_EVENT_TYPES]],
    ] as const) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: [source], 'detail-type': types },
        Targets: [
          Match.objectLike({
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
          }),
        ],
      });
    }
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'ecommerce-dev-gateway-fanout',
      Handler: 'index.handler',
      VpcConfig: Match.objectLike({ SecurityGroupIds: [Match.anyValue()] }),
      Environment: { Variables: Match.objectLike({ REDIS_URL: Match.anyValue(), TABLE_PREFIX: 'ecommerce-dev-' }) },
    });
  });

  it('shares its deployment namespace with the fan-out, so both use the same Redis channels', () => {
    const [[, fanout]] = resourcesOfType(dev.templates.gateway, 'AWS::Lambda::Function') as [[string, { Properties: { Environment: { Variables: Record<string, unknown> } } }]];
    expect(fanout.Properties.Environment.Variables['TABLE_PREFIX']).toBe(environment(dev)['TABLE_PREFIX']);
    expect(fanout.Properties.Environment.Variables['REDIS_URL']).toEqual(environment(dev)['REDIS_URL']);
  });
});
