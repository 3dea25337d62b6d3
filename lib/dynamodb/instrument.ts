import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Counts and times every DynamoDB call by operation (BatchGetItem, TransactWriteItems...) on the service's
 * registry: the figures behind "one BatchGetItem per query" show up on `/metrics`.
 */
export function instrumentDynamo(client: DynamoDBClient, registry: Registry): void {
  const requests = new Counter({
    name: 'dynamodb_requests_total',
    help: 'DynamoDB requests by operation and outcome',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'dynamodb_request_duration_seconds',
    help: 'DynamoDB request latency by operation',
    labelNames: ['operation'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      const end = duration.startTimer({ operation });
      try {
        const result = await next(args);
        requests.inc({ operation, outcome: 'ok' });
        return result;
      } catch (error) {
        requests.inc({ operation, outcome: (error as { name?: string }).name ?? 'error' });
        throw error;
      } finally {
        end();
      }
    },
    { step: 'initialize', name: 'prometheusInstrumentation' },
  );
}
