import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ServiceUnavailableError } from '../ddd';
import { RequestDeadline, runWithContext } from '../logging';
import { testDynamoEndpoint } from '../../test/support/services';
import { createDynamoClients } from './client';

/**
 * DynamoDB not answering is SERVICE_UNAVAILABLE once the SDK gives up (reportUnavailable), whatever the way it
 * fails; DynamoDB answering with an error of its own is not an outage and passes unchanged.
 */

const get = new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'x' } } });
const quick = { region: 'us-east-1', connectionTimeoutMs: 200, requestTimeoutMs: 200 };

/** A server that accepts connections and never answers: DynamoDB stopped mid-flight, as SIGSTOP leaves it. */
let silent: Server;
const sockets: Socket[] = [];
beforeAll(async () => {
  silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('a DynamoDB client', () => {
  it('reports a DynamoDB that accepts connections and never answers as SERVICE_UNAVAILABLE, caused by the timeout', async () => {
    const { client } = createDynamoClients({ ...quick, endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` });
    const error = await client.send(get).catch((failure: unknown) => failure);
    client.destroy();
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the data store did not answer in time; try again shortly',
      cause: { message: expect.stringMatching(/^GetItem: TimeoutError: /), cause: { name: 'TimeoutError' } },
    });
  });

  it.each([
    ['a server error', 500, 'InternalServerError'],
    ['throttling', 400, 'ProvisionedThroughputExceededException'],
  ])('reports %s that outlasts the retries as SERVICE_UNAVAILABLE', async (_what, status, type) => {
    let calls = 0;
    const failing = createHttpServer((_req, res) => {
      calls += 1;
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'try later' }));
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const { client } = createDynamoClients({ ...quick, endpoint: `http://127.0.0.1:${(failing.address() as AddressInfo).port}` });
    const error = await client.send(get).catch((failure: unknown) => failure);
    client.destroy();
    await new Promise((resolve) => failing.close(resolve));
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', cause: { message: `GetItem: ${type}: try later`, cause: { name: type } } });
    // The SDK retried first (maxAttempts 4): only the final outcome is translated.
    expect(calls).toBe(4);
  });

  it("answers with the request's own deadline when that passes first", async () => {
    const { client } = createDynamoClients({ region: 'us-east-1', endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, requestTimeoutMs: 10_000 });
    const deadline = new RequestDeadline(150);
    const error = await runWithContext({ correlationId: 'deadline-test', deadline }, () => client.send(get)).catch((failure: unknown) => failure);
    client.destroy();
    expect(error).toBe(deadline.reason);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'the request did not complete within its 150 ms deadline; a dependency is slow or unavailable, try again' });
  });

  it("passes DynamoDB's own answers through unchanged: they are not an outage", async () => {
    const { client } = createDynamoClients({ region: 'us-east-1', endpoint: testDynamoEndpoint() });
    const error = await client.send(get).catch((failure: unknown) => failure);
    client.destroy();
    expect(error).not.toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
