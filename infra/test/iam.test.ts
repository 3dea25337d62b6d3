import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { AppFunction } from '../lib/constructs/app-function';
import { APPLICATION_TABLE_ACTIONS, RELAY_TABLE_ACTIONS } from '../lib/permissions';
import { actionsGranted, actionsOf, resourcesOf, resourcesOfType, statementsOf, synthesize, type PolicyStatement, type StackName, type SynthesizedApp } from './support/synth';

/** Actions AWS authorizes on no resource narrower than "*". */
const RESOURCE_WILDCARD_ONLY = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams', 'ecr:GetAuthorizationToken']);

const TRACING = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
const DLQ_SEND = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
const SECRET = ['secretsmanager:GetSecretValue'];
const INVOKE_URL = ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'];

describe('least privilege (every stack)', () => {
  let dev: SynthesizedApp;
  beforeAll(() => {
    dev = synthesize('dev');
  });
  afterAll(() => dev.cleanup());

  const everyStatement = (): [StackName, PolicyStatement][] =>
    (Object.entries(dev.templates) as [StackName, Template][]).flatMap(([stack, template]) =>
      resourcesOfType(template, 'AWS::IAM::Policy').flatMap(([, policy]) =>
        (policy.Properties['PolicyDocument'] as { Statement: PolicyStatement[] }).Statement.map((statement): [StackName, PolicyStatement] => [stack, statement]),
      ),
    );
  const functionsByName = (): Record<string, AppFunction> =>
    Object.fromEntries([...dev.stacks.subgraphs.functions, dev.stacks.gateway.fanout].map((fn) => [fn.name, fn]));
  const templateOf = (fn: AppFunction): Template => (fn.fn.stack === dev.stacks.gateway ? dev.templates.gateway : dev.templates.subgraphs);
  const granted = (fn: AppFunction): string[] => [...actionsGranted(templateOf(fn), fn.fn.role as IRole)].sort();
  const statementsFor = (fn: AppFunction, action: string) => statementsOf(templateOf(fn), fn.fn.role as IRole).filter((statement) => actionsOf(statement).includes(action));

  it('grants no wildcard action anywhere', () => {
    const statements = everyStatement();
    expect(statements.length).toBeGreaterThan(20);
    for (const [stack, statement] of statements) {
      for (const action of actionsOf(statement)) expect({ stack, action, wildcard: action.includes('*') }).toEqual({ stack, action, wildcard: false });
    }
  });

  it('grants "*" resources only for actions that have no narrower resource', () => {
    for (const [stack, statement] of everyStatement()) {
      if (!resourcesOf(statement).includes('*')) continue;
      for (const action of actionsOf(statement)) expect({ stack, action, allowed: RESOURCE_WILDCARD_ONLY.has(action) }).toEqual({ stack, action, allowed: true });
    }
  });

  it('gives each function exactly the actions its code performs', () => {
    const app = [...APPLICATION_TABLE_ACTIONS, ...SECRET, ...TRACING];
    // The relay's sweep queries the outbox index (scoped to that index: see the next test).
    const relay = [...RELAY_TABLE_ACTIONS, 'dynamodb:Query', ...STREAM_READ, 'events:PutEvents', ...SECRET, ...DLQ_SEND, ...TRACING];
    const expected: Record<string, string[]> = {
      // Stock holds update product rows inside transactions (UpdateItem).
      'catalog-api': [...app, 'dynamodb:UpdateItem'],
      'catalog-events': [...app, 'dynamodb:UpdateItem', ...DLQ_SEND],
      'catalog-hold-sweep': [...app, 'dynamodb:UpdateItem', ...DLQ_SEND],
      // Reads Payments' URL from its SSM parameter at cold start (the grant to call it is on Payments' side).
      'orders-api': [...app, ...INVOKE_URL, 'ssm:GetParameter'],
      'orders-events': [...app, ...DLQ_SEND],
      'orders-deadline-sweep': [...app, ...DLQ_SEND],
      // Payments reads orders through Orders' function URL.
      'payments-api': [...app, ...INVOKE_URL],
      'payments-webhook': app,
      'payments-events': [...app, ...DLQ_SEND],
      'payments-outbox-relay': relay,
      'rewards-api': app,
      'rewards-events': [...app, ...DLQ_SEND],
      'rewards-expiry': [...app, ...DLQ_SEND],
      'catalog-outbox-relay': relay,
      'orders-outbox-relay': relay,
      'rewards-outbox-relay': relay,
      'shipping-api': app,
      'shipping-events': [...app, ...DLQ_SEND],
      'shipping-outbox-relay': relay,
      'gateway-fanout': [...SECRET, ...DLQ_SEND, ...TRACING],
    };
    const functions = functionsByName();
    expect(Object.keys(functions).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, actions] of Object.entries(expected)) expect({ name, actions: granted(functions[name]!) }).toEqual({ name, actions: [...new Set(actions)].sort() });
  });

  it("touches only its own context's table (and its indexes and stream)", () => {
    for (const fn of Object.values(functionsByName())) {
      const context = fn.name.split('-')[0]!;
      const dynamo = statementsOf(templateOf(fn), fn.fn.role as IRole).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:') && action !== 'dynamodb:ListStreams'),
      );
      if (context === 'gateway') {
        expect(dynamo).toEqual([]);
        continue;
      }
      expect(dynamo.length).toBeGreaterThan(0);
      for (const statement of dynamo) {
        for (const resource of resourcesOf(statement)) {
          const tables = JSON.stringify(resource).match(/(Catalog|Orders|Rewards|Payments|Shipping)Table/g) ?? [];
          expect({ fn: fn.name, tables: [...new Set(tables)] }).toEqual({ fn: fn.name, tables: [`${context[0]!.toUpperCase()}${context.slice(1)}Table`] });
        }
      }
    }
  });

  it('lets only the outbox relays put events, on the bus only', () => {
    const putters = Object.values(functionsByName()).filter((fn) => granted(fn).includes('events:PutEvents'));
    expect(putters.map((fn) => fn.name).sort()).toEqual(['catalog-outbox-relay', 'orders-outbox-relay', 'payments-outbox-relay', 'rewards-outbox-relay', 'shipping-outbox-relay']);
    for (const fn of putters) {
      for (const statement of statementsFor(fn, 'events:PutEvents')) expect(JSON.stringify(statement.Resource)).toMatch(/Bus/);
    }
    const elsewhere = everyStatement().filter(([stack, statement]) => stack !== 'subgraphs' && actionsOf(statement).includes('events:PutEvents'));
    expect(elsewhere).toEqual([]);
  });

  it('lets functions read the two signing secrets (each of them), Payments’ functions alone Stripe’s, and only the gateway the JWT secret', () => {
    for (const fn of Object.values(functionsByName())) {
      const resources = statementsFor(fn, 'secretsmanager:GetSecretValue').flatMap((statement) => resourcesOf(statement).map((resource) => JSON.stringify(resource)));
      const stripe = ['payments-api', 'payments-webhook', 'payments-events'].includes(fn.name);
      for (const resource of resources) expect([fn.name, resource]).toEqual([fn.name, expect.stringMatching(stripe ? /GatewaySigningSecret|EventSigningSecret|StripeSecretKey|StripeWebhookSecret/ : /GatewaySigningSecret|EventSigningSecret/)]);
      expect(resources.some((resource) => resource.includes('GatewaySigningSecret'))).toBe(true);
      expect(resources.some((resource) => resource.includes('EventSigningSecret'))).toBe(true);
      expect([fn.name, resources.some((resource) => resource.includes('StripeSecretKey')), resources.some((resource) => resource.includes('StripeWebhookSecret'))]).toEqual([fn.name, stripe, stripe]);
    }
    const stripeReaders = everyStatement().filter(([, statement]) => /Stripe(SecretKey|WebhookSecret)/.test(JSON.stringify(statement.Resource)));
    expect(new Set(stripeReaders.map(([stack]) => stack))).toEqual(new Set(['subgraphs']));
    const jwtReaders = everyStatement().filter(([, statement]) => JSON.stringify(statement.Resource).includes('JwtSecret'));
    expect(jwtReaders.map(([stack]) => stack)).toEqual(['gateway']);
    expect(JSON.stringify(statementsOf(dev.templates.gateway, dev.stacks.gateway.service.taskDefinition.obtainExecutionRole()))).toContain('JwtSecret');
  });

  it('lets Orders call Catalog’s and Shipping’s function URLs and Payments call Orders’, no other function, signing with AWS_IAM', () => {
    const callees: Record<string, RegExp[]> = { 'orders-api': [/CatalogApiFunction/, /ShippingApiFunction/], 'payments-api': [/OrdersApiFunction/] };
    for (const fn of Object.values(functionsByName())) {
      const grants = statementsFor(fn, 'lambda:InvokeFunctionUrl');
      const expected = callees[fn.name] ?? [];
      const resources = grants.flatMap((grant) => [grant.Resource].flat().map((resource) => JSON.stringify(resource)));
      expect({ fn: fn.name, resources: resources.length }).toEqual({ fn: fn.name, resources: expected.length });
      for (const callee of expected) expect({ fn: fn.name, callee: resources.filter((resource) => callee.test(resource)).length }).toEqual({ fn: fn.name, callee: 1 });
      for (const grant of grants) expect(grant.Condition).toEqual({ StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } });
      if (expected.length > 0) expect(JSON.stringify(statementsFor(fn, 'lambda:InvokeFunction')[0]!.Condition)).toContain('lambda:InvokedViaFunctionUrl');
    }
    // Orders -> Payments is granted on Payments' function instead (subgraphs-stack.test.ts): the only such permissions.
    const rolePermissions = resourcesOfType(dev.templates.subgraphs, 'AWS::Lambda::Permission').filter(([, permission]) => JSON.stringify(permission.Properties['Principal']).includes('Role'));
    expect(rolePermissions.map(([, permission]) => JSON.stringify([permission.Properties['FunctionName'], permission.Properties['Principal'], permission.Properties['Action']]))).toEqual(
      expect.arrayContaining([expect.stringMatching(/PaymentsApiFunction.*OrdersApiFunction.*Role.*lambda:InvokeFunctionUrl/)]),
    );
    expect(rolePermissions).toHaveLength(2);
  });

  it('lets only Orders’ API function read only the SSM parameter with Payments’ URL', () => {
    const readers = everyStatement().filter(([, statement]) => actionsOf(statement).some((action) => action.startsWith('ssm:')));
    expect(readers).toHaveLength(1);
    const [stack, statement] = readers[0]!;
    expect(stack).toBe('subgraphs');
    expect(actionsOf(statement)).toEqual(['ssm:GetParameter']);
    expect(JSON.stringify(statement.Resource)).toBe(
      JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':parameter/ecommerce-dev-payments/function-url']] }),
    );
    expect(statementsFor(functionsByName()['orders-api']!, 'ssm:GetParameter')).toHaveLength(1);
  });
});
