import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { ORDER_STATUS_EVENT_TYPES } from '../../lib/events/schemas';
import { LAMBDA_BUNDLE } from '../lib/bundling';
import { resourcesOfType, synthesize, type SynthesizedApp } from './support/synth';

type Resource = { Properties: Record<string, unknown> };

describe('subgraphs stack', () => {
  let dev: SynthesizedApp;
  beforeAll(() => {
    // Bundled for real, with local esbuild, as `cdk synth` does.
    dev = synthesize('dev', { bundle: true });
  });
  afterAll(() => dev.cleanup());

  const functions = () => resourcesOfType(dev.templates.subgraphs, 'AWS::Lambda::Function') as [string, Resource][];
  const functionNamed = (name: string): Resource => {
    const found = functions().find(([, fn]) => fn.Properties['FunctionName'] === `ecommerce-dev-${name}`);
    if (!found) throw new Error(`no function ecommerce-dev-${name}`);
    return found[1];
  };
  const logicalIdOf = (name: keyof SynthesizedApp['stacks']['subgraphs']['api']) =>
    Stack.of(dev.stacks.subgraphs).getLogicalId(dev.stacks.subgraphs.api[name].fn.node.defaultChild as CfnFunction);

  it('holds the GraphQL function of each subgraph, five outbox relays, the consumers, the schedules’ jobs and Stripe’s webhook', () => {
    const template = dev.templates.subgraphs;
    template.resourceCountIs('AWS::Lambda::Function', 19);
    expect(functions().map(([, fn]) => fn.Properties['FunctionName']).sort()).toEqual(
      [
        'catalog-api',
        'catalog-events',
        'catalog-hold-sweep',
        'catalog-outbox-relay',
        'orders-api',
        'orders-deadline-sweep',
        'orders-events',
        'orders-outbox-relay',
        'payments-api',
        'payments-events',
        'payments-outbox-relay',
        'payments-webhook',
        'rewards-api',
        'rewards-events',
        'rewards-expiry',
        'rewards-outbox-relay',
        'shipping-api',
        'shipping-events',
        'shipping-outbox-relay',
      ].map((name) => `ecommerce-dev-${name}`),
    );
    // One per subgraph, and Payments' public one for Stripe's webhooks.
    template.resourceCountIs('AWS::Lambda::Url', 6);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 5);
    // One rule per consumer and source: Catalog, Orders (Catalog's, Payments' and Shipping's events), Rewards, Payments, Shipping.
    template.resourceCountIs('AWS::Events::Rule', 7);
    // The expiry job, the stock hold sweep, the payment deadline sweep, and one outbox sweep per context.
    template.resourceCountIs('AWS::Scheduler::Schedule', 8);
  });

  it('every function: nodejs22.x on arm64, traced, its own log group with retention, no source maps parsed at load', () => {
    for (const [, fn] of functions()) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: expect.anything() },
        Environment: { Variables: expect.objectContaining({ NODE_ENV: 'production', TABLE_PREFIX: 'ecommerce-dev-' }) },
      });
      // Stack traces are mapped on demand through index.js.map (lib/runtime/lambda-stack-traces.ts), not at every cold start.
      expect((fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables['NODE_OPTIONS']).toBeUndefined();
    }
    for (const [, group] of resourcesOfType(dev.templates.subgraphs, 'AWS::Logs::LogGroup')) expect(group.Properties['RetentionInDays']).toBe(7);
  });

  it('each bundle is built by local esbuild: minified CommonJS, the AWS SDK left to the runtime, one Apollo Server', () => {
    const assembly = dev.stacks.subgraphs.node.root as unknown as { outdir: string };
    for (const [, fn] of functions()) {
      // The code asset is staged as asset.<hash> and uploaded as <hash>.zip.
      const key = String((fn.Properties['Code'] as { S3Key: string }).S3Key);
      const bundle = join(assembly.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.js');
      expect(existsSync(bundle)).toBe(true);
      expect(existsSync(`${bundle}.map`)).toBe(true);
      const code = readFileSync(bundle, 'utf8');
      expect(code).toMatch(/require\("@aws-sdk\/client-dynamodb"\)/);
      // Minified: whole modules per line (the only line breaks left are inside template literals such as the SDL).
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
      expect(statSync(bundle).size).toBeGreaterThan(100_000);
      // The aliases took effect: one copy of Apollo Server (its start-up assertion appears once per copy), and
      // the usage-reporting protobuf encoder replaced by its stub.
      expect(code.split('before calling').length - 1).toBe(1);
      expect(code).toContain('Apollo usage reporting and inline tracing are not bundled in this function');
    }
    expect(LAMBDA_BUNDLE.external).toEqual(['@aws-sdk/*', '@smithy/*', '../llhttp/llhttp-wasm.js']);
  });

  it('the GraphQL functions sit behind function URLs with AWS_IAM auth only; Stripe’s webhook alone is public', () => {
    const webhook = Stack.of(dev.stacks.subgraphs).getLogicalId(dev.stacks.subgraphs.paymentsWebhook.fn.node.defaultChild as CfnFunction);
    for (const [, url] of resourcesOfType(dev.templates.subgraphs, 'AWS::Lambda::Url')) {
      const isWebhook = JSON.stringify(url.Properties['TargetFunctionArn']).includes(webhook);
      expect(url.Properties).toMatchObject({ AuthType: isWebhook ? 'NONE' : 'AWS_IAM' });
      expect(url.Properties['Cors']).toBeUndefined();
    }
    dev.templates.subgraphs.resourcePropertiesCountIs('AWS::Lambda::Permission', { FunctionUrlAuthType: 'NONE' }, 1);
    dev.templates.subgraphs.hasResourceProperties('AWS::Lambda::Permission', { FunctionUrlAuthType: 'NONE', Principal: '*', FunctionName: { 'Fn::GetAtt': [webhook, 'Arn'] } });
    expect(functionNamed('payments-webhook').Properties['Handler']).toBe('index.webhookHandler');
    for (const name of ['catalog', 'orders', 'rewards', 'payments', 'shipping'] as const) {
      dev.templates.subgraphs.hasResourceProperties('AWS::Lambda::Url', { TargetFunctionArn: { 'Fn::GetAtt': [logicalIdOf(name), 'Arn'] } });
    }
  });

  it('each function is configured with its own table only; Orders also with Redis and Catalog URL, signing as IAM', () => {
    const tableVariables = ['CATALOG_TABLE', 'ORDERS_TABLE', 'REWARDS_TABLE', 'PAYMENTS_TABLE', 'SHIPPING_TABLE'];
    for (const [, fn] of functions()) {
      const name = String(fn.Properties['FunctionName']);
      const variables = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      const own = `${name.split('-')[2]!.toUpperCase()}_TABLE`;
      expect(Object.keys(variables).filter((key) => tableVariables.includes(key))).toEqual([own]);
      expect(variables).toMatchObject({
        EVENT_BUS: 'eventbridge',
        GATEWAY_SIGNING_SECRET_ARN: expect.anything(),
        EVENT_SIGNING_SECRET_ARN: expect.anything(),
        EVENT_BUS_NAME: expect.anything(),
      });
      expect(JSON.stringify(variables['EVENT_SIGNING_SECRET_ARN'])).toContain('EventSigningSecret');
      expect(variables['GATEWAY_SIGNING_SECRET']).toBeUndefined();
      expect(variables['EVENT_SIGNING_SECRET']).toBeUndefined();
      expect(variables['JWT_SECRET']).toBeUndefined();
      expect(variables['JWT_SECRET_ARN']).toBeUndefined();
      const ordersApp = name.includes('-orders-') && !name.endsWith('outbox-relay');
      const paymentsApp = name.includes('-payments-') && !name.endsWith('outbox-relay');
      if (ordersApp) {
        expect(variables).toMatchObject({ REDIS_URL: expect.anything(), SUBGRAPH_AUTH: 'iam' });
      } else {
        expect(variables['REDIS_URL']).toBeUndefined();
      }
      // Only Payments' own functions are told where Stripe's secrets are (the relay publishes, it never pays).
      if (paymentsApp) {
        expect(variables).toMatchObject({ SUBGRAPH_AUTH: 'iam', STRIPE_SECRET_KEY_ARN: expect.anything(), STRIPE_WEBHOOK_SECRET_ARN: expect.anything() });
        expect(JSON.stringify(variables['ORDERS_URL'])).toContain('OrdersApi');
      } else {
        expect([name, Object.keys(variables).filter((key) => key.startsWith('STRIPE_'))]).toEqual([name, []]);
      }
      expect(variables['STRIPE_SECRET_KEY']).toBeUndefined();
      expect(variables['STRIPE_WEBHOOK_SECRET']).toBeUndefined();
    }
    // Shipping's commands beside its GraphQL endpoint on its function URL.
    expect((functionNamed('orders-api').Properties['Environment'] as { Variables: Record<string, unknown> }).Variables['SHIPPING_URL']).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ShippingApi/), 'FunctionUrl'] }, 'graphql']],
    });
    // Catalog's function URL without its trailing slash: https:// + the host.
    expect((functionNamed('orders-api').Properties['Environment'] as { Variables: Record<string, unknown> }).Variables['CATALOG_REST_URL']).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [expect.stringMatching(/^CatalogApi/), 'FunctionUrl'] }] }] }]],
    });
  });

  // Without a dependency cycle: synthesis (beforeAll) runs CloudFormation's validation, which refuses one
  // ("Circular dependency between resources"), as a grant in Orders' role policy would make.
  it('tells Orders where Payments is through an SSM parameter and lets it call Payments’ URL', () => {
    const template = dev.templates.subgraphs;
    const parameterName = '/ecommerce-dev-payments/function-url';
    // The parameter holds Payments' GraphQL URL (it depends on Payments' function, not the other way round).
    template.resourceCountIs('AWS::SSM::Parameter', 1);
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: parameterName,
      Type: 'String',
      Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^PaymentsApiFunctionFunctionUrl'), 'FunctionUrl'] }, 'graphql']] },
    });
    // Orders' API function gets only the fixed name: no reference to anything of Payments.
    const variables = (functionNamed('orders-api').Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(variables['PAYMENTS_URL_PARAMETER']).toBe(parameterName);
    expect(variables['PAYMENTS_URL']).toBeUndefined();
    expect(JSON.stringify(variables)).not.toContain('Payments');
    // The consumers and the sweep never capture: they are not told.
    for (const name of ['orders-events', 'orders-deadline-sweep']) {
      expect((functionNamed(name).Properties['Environment'] as { Variables: Record<string, unknown> }).Variables['PAYMENTS_URL_PARAMETER']).toBeUndefined();
    }
    // The invoke grant sits on Payments' function and names Orders' role (what grantInvokeUrl grants).
    const ordersRole = Stack.of(dev.stacks.subgraphs).getLogicalId(dev.stacks.subgraphs.api.orders.fn.role!.node.defaultChild as CfnRole);
    const onPayments = { FunctionName: { 'Fn::GetAtt': [logicalIdOf('payments'), 'Arn'] }, Principal: { 'Fn::GetAtt': [ordersRole, 'Arn'] } };
    template.resourcePropertiesCountIs('AWS::Lambda::Permission', onPayments, 2);
    template.hasResourceProperties('AWS::Lambda::Permission', { ...onPayments, Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::Lambda::Permission', { ...onPayments, Action: 'lambda:InvokeFunction', InvokedViaFunctionUrl: true });
    // And Payments still reads orders from Orders' URL: the reverse reference that would close a cycle.
    expect(JSON.stringify((functionNamed('payments-api').Properties['Environment'] as { Variables: Record<string, unknown> }).Variables['ORDERS_URL'])).toContain('OrdersApi');
  });

  it('only the functions that reach Redis run in the VPC', () => {
    for (const [, fn] of functions()) {
      const name = String(fn.Properties['FunctionName']);
      if (name.endsWith('orders-api') || name.endsWith('orders-events') || name.endsWith('orders-deadline-sweep')) {
        expect(fn.Properties['VpcConfig']).toMatchObject({ SubnetIds: expect.any(Array), SecurityGroupIds: [expect.anything()] });
      } else {
        expect(fn.Properties['VpcConfig']).toBeUndefined();
      }
    }
  });

  it('routes the events of docs/architecture.md §4: product changes and payments to Orders, completed orders to Rewards', () => {
    const template = dev.templates.subgraphs;
    const patterns = resourcesOfType(template, 'AWS::Events::Rule').map(([, rule]) => rule.Properties['EventPattern']);
    expect(patterns).toEqual(
      expect.arrayContaining([
        { source: ['ecommerce.catalog'], 'detail-type': ['product.updated', 'product.price.changed', 'stock.held', 'stock.released', 'stock.sold'] },
        { source: ['ecommerce.payments'], 'detail-type': ['payment.completed', 'payment.authorized'] },
        { source: ['ecommerce.orders'], 'detail-type': ['order.completed'] },
        { source: ['ecommerce.orders'], 'detail-type': ['order.created', 'order.cancelled', 'order.completed'] },
      ]),
    );
    // Stock: order events to Catalog's consumer (claim, release, sell), with a dead-letter queue.
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['ecommerce.orders'], 'detail-type': ['order.created', 'order.cancelled', 'order.completed'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogEvents'), 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['ecommerce.orders'], 'detail-type': ['order.completed'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RewardsEvents'), 'Arn'] } })],
    });
    // The fulfilment's resume paths: Shipping's news moves on an order whose ship or deliver stopped before its save.
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['ecommerce.shipping'], 'detail-type': ['shipment.shipped', 'shipment.delivered'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersEvents'), 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
    // The checkout saga: an authorized payment confirms the order; a cancelled order's payment is voided or refunded,
    // and one the order was confirmed without (by hand) is voided.
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['ecommerce.payments'], 'detail-type': ['payment.completed', 'payment.authorized'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersEvents'), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['ecommerce.orders'], 'detail-type': ['order.cancelled', 'order.confirmed'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PaymentsEvents'), 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
    expect(ORDER_STATUS_EVENT_TYPES).toContain('order.completed');
  });

  it('every rule target retries with a maximum event age and has a dead-letter queue', () => {
    for (const [, rule] of resourcesOfType(dev.templates.subgraphs, 'AWS::Events::Rule')) {
      expect(rule.Properties['EventBusName']).toBeDefined();
      const targets = rule.Properties['Targets'] as Record<string, unknown>[];
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) {
        expect(target).toMatchObject({
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
        });
      }
    }
  });

  it('asynchronously invoked functions send what still fails after retries to an on-failure queue', () => {
    const configs = resourcesOfType(dev.templates.subgraphs, 'AWS::Lambda::EventInvokeConfig').map(([, config]) => config.Properties);
    expect(configs).toHaveLength(8);
    for (const config of configs) {
      expect(config).toMatchObject({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
      });
    }
  });

  it('each outbox relay reads its table stream from the start, only outbox INSERTs, bisecting failures into a DLQ', () => {
    const mappings = resourcesOfType(dev.templates.subgraphs, 'AWS::Lambda::EventSourceMapping').map(([, mapping]) => mapping.Properties);
    expect(mappings).toHaveLength(5);
    const streams = new Set<string>();
    for (const mapping of mappings) {
      expect(mapping).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
      });
      const filters = (mapping['FilterCriteria'] as { Filters: { Pattern: string }[] }).Filters;
      expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([{ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'OUTBOX#' }] } } } }]);
      streams.add(JSON.stringify(mapping['EventSourceArn']));
    }
    expect([...streams].map((arn) => /(Catalog|Orders|Rewards|Payments|Shipping)Table/.exec(arn)?.[1]).sort()).toEqual(['Catalog', 'Orders', 'Payments', 'Rewards', 'Shipping']);
    dev.templates.subgraphs.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'ecommerce-dev-orders-outbox-relay',
      Handler: 'index.outboxRelayHandler',
    });
  });

  it('each outbox relay also sweeps leftovers every 5 minutes, reading only the outbox index', () => {
    for (const context of ['catalog', 'orders', 'rewards', 'payments', 'shipping']) {
      dev.templates.subgraphs.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: `ecommerce-dev-${context}-outbox-sweep`,
        ScheduleExpression: 'rate(5 minutes)',
        Target: {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${context[0]!.toUpperCase()}${context.slice(1)}OutboxRelay`), 'Arn'] },
          Input: JSON.stringify({ sweep: true }),
          DeadLetterConfig: { Arn: Match.anyValue() },
        },
      });
    }
    const queryStatements = resourcesOfType(dev.templates.subgraphs, 'AWS::IAM::Policy')
      .filter(([id]) => /OutboxRelay/.test(id))
      .flatMap(([, policy]) => (policy.Properties['PolicyDocument'] as { Statement: { Action: unknown; Resource: unknown }[] }).Statement)
      .filter((statement) => statement.Action === 'dynamodb:Query');
    expect(queryStatements).toHaveLength(5);
    for (const statement of queryStatements) expect(JSON.stringify(statement.Resource)).toMatch(/\/index\/outbox"/);
  });

  it('runs the rewards expiry daily on EventBridge Scheduler, with retries and a dead-letter queue', () => {
    dev.templates.subgraphs.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 3 * * ? *)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RewardsExpiry'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExpiryScheduleDlq'), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
      },
    });
    expect(functionNamed('rewards-expiry').Properties['Handler']).toBe('index.expiryHandler');
  });

  it('sweeps unclaimed stock holds every minute on EventBridge Scheduler, with retries and a dead-letter queue', () => {
    dev.templates.subgraphs.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'ecommerce-dev-catalog-hold-sweep',
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogHoldSweep'), 'Arn'] },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      }),
    });
    expect((functionNamed('catalog-hold-sweep').Properties['Environment'] as { Variables: Record<string, unknown> }).Variables).toMatchObject({ STOCK_HOLD_TTL_SECONDS: '900' });
  });

  it('cancels unpaid orders past their payment deadline every minute on EventBridge Scheduler, with retries and a dead-letter queue', () => {
    dev.templates.subgraphs.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'ecommerce-dev-orders-deadline-sweep',
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersDeadlineSweep'), 'Arn'] },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      }),
    });
    expect(functionNamed('orders-deadline-sweep').Properties['Handler']).toBe('index.deadlineSweepHandler');
  });

  it('outputs the URL to register in Stripe’s dashboard', () => {
    dev.templates.subgraphs.hasOutput('StripeWebhookUrl', {
      Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^PaymentsWebhookFunctionFunctionUrl'), 'FunctionUrl'] }, 'webhooks/stripe']] },
    });
  });

  it('maps each function to the handler its entry file exports', () => {
    const handlers = Object.fromEntries(functions().map(([, fn]) => [String(fn.Properties['FunctionName']).replace('ecommerce-dev-', ''), fn.Properties['Handler']]));
    expect(handlers).toEqual({
      'catalog-api': 'index.handler',
      'catalog-events': 'index.eventHandler',
      'catalog-hold-sweep': 'index.holdSweepHandler',
      'catalog-outbox-relay': 'index.outboxRelayHandler',
      'orders-api': 'index.handler',
      'orders-deadline-sweep': 'index.deadlineSweepHandler',
      'orders-events': 'index.eventHandler',
      'orders-outbox-relay': 'index.outboxRelayHandler',
      'payments-api': 'index.handler',
      'payments-events': 'index.eventHandler',
      'payments-outbox-relay': 'index.outboxRelayHandler',
      'payments-webhook': 'index.webhookHandler',
      'rewards-api': 'index.handler',
      'rewards-events': 'index.eventHandler',
      'rewards-expiry': 'index.expiryHandler',
      'rewards-outbox-relay': 'index.outboxRelayHandler',
      'shipping-api': 'index.handler',
      'shipping-events': 'index.eventHandler',
      'shipping-outbox-relay': 'index.outboxRelayHandler',
    });
  });

  it('every dead-letter queue is encrypted, TLS-only and keeps messages 14 days', () => {
    const queues = resourcesOfType(dev.templates.subgraphs, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(dev.stacks.subgraphs.deadLetterQueues.length);
    for (const [, queue] of queues) expect(queue.Properties).toMatchObject({ MessageRetentionPeriod: 1_209_600, SqsManagedSseEnabled: true });
    dev.templates.subgraphs.resourceCountIs('AWS::SQS::QueuePolicy', queues.length);
  });
});
