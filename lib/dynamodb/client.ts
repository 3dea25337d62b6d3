import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deadlineAwareHandler, refuseLateWrites, reportUnavailable } from './deadline';

export interface DynamoConfig {
  readonly endpoint: string | undefined;
  readonly region: string;
  /** Time to open a connection (DYNAMODB_CONNECTION_TIMEOUT_MS). */
  readonly connectionTimeoutMs?: number;
  /** Time for one attempt to be answered (DYNAMODB_REQUEST_TIMEOUT_MS); the SDK retries a timed-out attempt. */
  readonly requestTimeoutMs?: number;
}

export const DYNAMODB_TIMEOUT_DEFAULTS = { connectionTimeoutMs: 1000, requestTimeoutMs: 3000 } as const;

export interface DynamoClients {
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
}

/**
 * One client per process (the SDK pools connections). A local endpoint gets static credentials so the SDK
 * never walks the credential chain (EC2 metadata lookups stall for seconds off AWS).
 *
 * Bounded waiting: the SDK's Node handler has no request timeout by default, so a stalled DynamoDB held a
 * request for the whole outage. Each attempt now has a connection and a request timeout (throwOnRequestTimeout:
 * without it the handler only logs a warning), and every call made inside a request carries that request's
 * deadline as its abort signal (lib/logging/request-deadline.ts); a write is not started once it has passed.
 * When DynamoDB does not answer at all, the failure is SERVICE_UNAVAILABLE (deadline.ts, reportUnavailable).
 */
export function createDynamoClients(config: DynamoConfig): DynamoClients {
  const requestHandler = deadlineAwareHandler({
    connectionTimeout: config.connectionTimeoutMs ?? DYNAMODB_TIMEOUT_DEFAULTS.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs ?? DYNAMODB_TIMEOUT_DEFAULTS.requestTimeoutMs,
    throwOnRequestTimeout: true,
  });
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.endpoint
      ? { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 4,
    requestHandler,
  });
  refuseLateWrites(client);
  reportUnavailable(client);
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { client, doc };
}
