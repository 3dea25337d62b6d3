/**
 * Invoking the Lambda entry points locally, as AWS would: function URL requests (API Gateway payload v2),
 * EventBridge rule deliveries, DynamoDB Streams batches, and a local endpoint speaking the two AWS APIs the
 * functions call besides DynamoDB (EventBridge PutEvents and Secrets Manager GetSecretValue, JSON 1.1 protocol).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, Context, DynamoDBRecord, DynamoDBStreamEvent, EventBridgeEvent } from 'aws-lambda';
import { signRequest, type Identity } from '../../lib/auth';
import type { AnyEventEnvelope } from '../../lib/events';
import { eventBridgeSource } from '../../lib/events/eventbridge-entry';

export interface FunctionUrlRequest {
  readonly method?: string;
  readonly path: string;
  readonly query?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A function URL invocation (payload format 2.0, as function URLs and HTTP APIs send it). */
export function functionUrlEvent(request: FunctionUrlRequest): APIGatewayProxyEventV2 {
  const method = request.method ?? 'GET';
  const now = new Date();
  const headers = Object.fromEntries(Object.entries({ host: 'abcdefgh.lambda-url.us-east-1.on.aws', ...request.headers }).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: request.query ?? '',
    ...(request.query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(request.query)) } : {}),
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefgh',
      domainName: 'abcdefgh.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefgh',
      http: { method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'lambda-test' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: false,
  };
}

/**
 * A GraphQL POST to the subgraph's /graphql through its function URL; with `signedAs`, carrying identity
 * headers signed over this very request, as the gateway sends them.
 */
export function graphqlEvent(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  signedAs?: { caller: Identity; secret: string },
): APIGatewayProxyEventV2 {
  const body = JSON.stringify({ query, variables });
  const identity = signedAs ? signRequest({ caller: signedAs.caller, method: 'POST', path: '/graphql', body }, signedAs.secret) : {};
  return functionUrlEvent({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...identity, ...headers },
    body,
  });
}

export function lambdaContext(functionName = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 15_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** What a rule delivers to its Lambda target for an event put with `Source`/`DetailType`/`Detail` (docs/architecture.md §4). */
export function eventBridgeEvent(envelope: AnyEventEnvelope): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': envelope.type,
    source: eventBridgeSource(envelope.source),
    account: '123456789012',
    time: envelope.occurredAt,
    region: 'us-east-1',
    resources: [],
    detail: envelope,
  };
}

type StreamValue = { S: string } | { N: string };

function streamImage(item: Readonly<Record<string, unknown>>): Record<string, StreamValue> {
  const image: Record<string, StreamValue> = {};
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'string') image[name] = { S: value };
    else if (typeof value === 'number') image[name] = { N: String(value) };
  }
  return image;
}

/** A DynamoDB Streams record (NEW_IMAGE view) of a table item, as the event source mapping delivers it. */
export function streamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item: Readonly<Record<string, unknown>>): DynamoDBRecord {
  const keys = streamImage({ pk: item['pk'], sk: item['sk'] });
  return {
    eventID: randomUUID(),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: keys,
      ...(eventName === 'REMOVE' ? {} : { NewImage: streamImage(item) }),
      SequenceNumber: String(Date.now()),
      SizeBytes: 100,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/test/stream/2026-01-01T00:00:00.000',
  };
}

export function streamEvent(records: readonly DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: [...records] };
}

export interface PutEventsEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
}

/**
 * A local AWS endpoint for the JSON 1.1 APIs the functions call: `AWSEvents.PutEvents` (recorded, all accepted),
 * `secretsmanager.GetSecretValue` (answered from `secrets`, by ARN) and `AmazonSSM.GetParameter` (answered from
 * `parameters`, by name). Point the SDK at it with AWS_ENDPOINT_URL_EVENTBRIDGE / AWS_ENDPOINT_URL_SECRETS_MANAGER /
 * AWS_ENDPOINT_URL_SSM.
 */
export interface FakeAws {
  readonly endpoint: string;
  readonly putEvents: PutEventsEntry[];
  readonly secretReads: string[];
  readonly parameterReads: string[];
  stop(): Promise<void>;
}

export async function startFakeAws(secrets: Readonly<Record<string, string>>, parameters: Readonly<Record<string, string>> = {}): Promise<FakeAws> {
  const putEvents: PutEventsEntry[] = [];
  const secretReads: string[] = [];
  const parameterReads: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
        res.end(JSON.stringify(payload));
      };
      const target = req.headers['x-amz-target'];
      if (target === 'AWSEvents.PutEvents') {
        const entries = body['Entries'] as PutEventsEntry[];
        putEvents.push(...entries);
        reply(200, { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) });
      } else if (target === 'secretsmanager.GetSecretValue') {
        const id = String(body['SecretId']);
        secretReads.push(id);
        const value = secrets[id];
        if (value === undefined) reply(400, { __type: 'ResourceNotFoundException', message: `Secrets Manager can't find the specified secret.` });
        else reply(200, { ARN: id, Name: id.split(':').pop(), SecretString: value, VersionId: randomUUID(), VersionStages: ['AWSCURRENT'] });
      } else if (target === 'AmazonSSM.GetParameter') {
        const name = String(body['Name']);
        parameterReads.push(name);
        const value = parameters[name];
        if (value === undefined) reply(400, { __type: 'ParameterNotFound', message: '' });
        else reply(200, { Parameter: { Name: name, Type: 'String', Value: value, Version: 1, DataType: 'text', ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}` } });
      } else {
        reply(400, { __type: 'UnknownOperationException', message: `unexpected ${String(target)}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    putEvents,
    secretReads,
    parameterReads,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Sets the variables a Lambda function is deployed with (infra/) for this test file, returning a restore
 * function. Must run before the entry module builds its container (on its first invocation).
 */
export function setLambdaEnvironment(variables: Readonly<Record<string, string | undefined>>): () => void {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const apply = (values: Readonly<Record<string, string | undefined>>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(variables);
  return () => apply(previous);
}

/** What a GraphQL endpoint answers in its body. */
export interface GraphQLBody<TData> {
  readonly data?: TData | null;
  readonly errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The JSON body of a structured result. */
export function jsonBody<T>(result: { body?: string | undefined }): T {
  if (result.body === undefined) throw new Error('the response has no body');
  return JSON.parse(result.body) as T;
}
