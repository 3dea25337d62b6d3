/**
 * The start-up step that reads `<NAME>_ARN` from Secrets Manager and `<NAME>_PARAMETER` from SSM Parameter Store,
 * against a local endpoint speaking both JSON protocols (the real SDK clients send the real requests).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { loadConfig } from '../config';
import { startFakeAws, type FakeAws } from '../../test/support/lambda';
import { resolveVariableReferences, variableReferenceSettings, type VariableStoreClients } from './variable-references';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:test-signing-secret-AbCdEf';
const SIGNING_SECRET = 'a-signing-secret-from-secrets-manager-0123456789';
const PARAMETER = '/ecommerce-test/payments/function-url';
const PAYMENTS_URL = 'https://abcdefghij.lambda-url.us-east-1.on.aws/graphql';

let aws: FakeAws;
let clients: VariableStoreClients;

beforeAll(async () => {
  aws = await startFakeAws({ [SECRET_ARN]: SIGNING_SECRET }, { [PARAMETER]: PAYMENTS_URL });
  const options = { endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  clients = { secretsManager: new SecretsManagerClient(options), ssm: new SSMClient(options) };
});

afterAll(() => aws.stop());

describe('resolveVariableReferences', () => {
  it('reads a secret and a parameter in one step, each once, and the configuration finds Payments there', async () => {
    const reads = { secrets: aws.secretReads.length, parameters: aws.parameterReads.length };
    const env = await resolveVariableReferences({ NODE_ENV: 'test', GATEWAY_SIGNING_SECRET_ARN: SECRET_ARN, PAYMENTS_URL_PARAMETER: PARAMETER }, clients);
    expect(env['GATEWAY_SIGNING_SECRET']).toBe(SIGNING_SECRET);
    expect(env['PAYMENTS_URL']).toBe(PAYMENTS_URL);
    expect(aws.secretReads.slice(reads.secrets)).toEqual([SECRET_ARN]);
    expect(aws.parameterReads.slice(reads.parameters)).toEqual([PARAMETER]);
    expect(loadConfig(env).urls.payments).toBe('https://abcdefghij.lambda-url.us-east-1.on.aws');
  });

  it('leaves a variable that is already set as it is, and reads nothing for it', async () => {
    const reads = aws.parameterReads.length;
    const env = await resolveVariableReferences({ PAYMENTS_URL: 'http://127.0.0.1:4004/graphql', PAYMENTS_URL_PARAMETER: PARAMETER }, clients);
    expect(env['PAYMENTS_URL']).toBe('http://127.0.0.1:4004/graphql');
    expect(aws.parameterReads).toHaveLength(reads);
  });

  it('returns the environment as it is when no reference is set', async () => {
    const env = await resolveVariableReferences({ NODE_ENV: 'test', PAYMENTS_URL: 'http://127.0.0.1:4004/graphql' });
    expect(env).toEqual({ NODE_ENV: 'test', PAYMENTS_URL: 'http://127.0.0.1:4004/graphql' });
  });

  it('builds its own clients from the SDK configuration when none are given', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: aws.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_MAX_ATTEMPTS: '1' });
    try {
      const reads = { secrets: aws.secretReads.length, parameters: aws.parameterReads.length };
      const env = await resolveVariableReferences({ EVENT_SIGNING_SECRET_ARN: SECRET_ARN, GATEWAY_SIGNING_SECRET_ARN: SECRET_ARN, PAYMENTS_URL_PARAMETER: PARAMETER });
      expect([env['EVENT_SIGNING_SECRET'], env['GATEWAY_SIGNING_SECRET'], env['PAYMENTS_URL']]).toEqual([SIGNING_SECRET, SIGNING_SECRET, PAYMENTS_URL]);
      expect(aws.secretReads.slice(reads.secrets)).toEqual([SECRET_ARN, SECRET_ARN]);
      expect(aws.parameterReads.slice(reads.parameters)).toEqual([PARAMETER]);
    } finally {
      process.env = saved;
    }
  });

  it('fails the start-up with the store\'s error when the parameter does not exist', async () => {
    await expect(resolveVariableReferences({ PAYMENTS_URL_PARAMETER: '/ecommerce-test/missing' }, clients)).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('documents every reference variable', () => {
    expect(Object.keys(variableReferenceSettings)).toEqual([
      'JWT_SECRET_ARN',
      'GATEWAY_SIGNING_SECRET_ARN',
      'EVENT_SIGNING_SECRET_ARN',
      'STRIPE_SECRET_KEY_ARN',
      'STRIPE_WEBHOOK_SECRET_ARN',
      'PAYMENTS_URL_PARAMETER',
    ]);
  });
});
