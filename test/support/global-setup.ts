import { startDynamoDbLocal } from '../../lib/dynamodb/local';
import { redisServerAvailable, startRedisServer } from '../../lib/redis/local';

/**
 * Starts the real backing services once per test run. Their addresses reach the worker processes through
 * the environment; global-teardown stops them (no Java or redis-server is left behind).
 */
export default async function globalSetup(): Promise<void> {
  if (!redisServerAvailable()) {
    throw new Error('redis-server is not on PATH: the tests need a real Redis (apt-get install -y redis-server)');
  }
  const [dynamo, redis] = await Promise.all([startDynamoDbLocal(), startRedisServer()]);
  process.env['TEST_DYNAMODB_ENDPOINT'] = dynamo.endpoint;
  process.env['TEST_REDIS_URL'] = redis.url;
  (globalThis as Record<string, unknown>)['__testServices'] = { dynamo, redis };
}
