import { randomUUID } from 'node:crypto';
import { createDynamoClients, type DynamoClients } from '../../lib/dynamodb';

/** DynamoDB Local and redis-server started by global-setup for this run. */
export function testDynamoEndpoint(): string {
  const endpoint = process.env['TEST_DYNAMODB_ENDPOINT'];
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run the tests through jest (npm test)');
  return endpoint;
}

export function testRedisUrl(): string {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through jest (npm test)');
  return url;
}

export function testDynamoClients(): DynamoClients {
  return createDynamoClients({ endpoint: testDynamoEndpoint(), region: 'us-east-1' });
}

/** A prefix unique to one test file (or one test), so files sharing the servers never see each other's data. */
export function uniquePrefix(label: string): string {
  return `t-${label}-${randomUUID().slice(0, 8)}-`;
}
