import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One SES v2 SendEmail request as it arrived (`POST /v2/email/outbound-emails`, REST-JSON). */
export interface SentWithSes {
  readonly messageId: string;
  /** The SigV4 credential scope's service and region (`.../us-east-1/ses/aws4_request`). */
  readonly signedFor: string;
  readonly request: {
    readonly FromEmailAddress: string;
    readonly Destination: { readonly ToAddresses: readonly string[] };
    readonly Content: {
      readonly Simple: {
        readonly Subject: { readonly Data: string; readonly Charset?: string };
        readonly Body: { readonly Text?: { readonly Data: string; readonly Charset?: string }; readonly Html?: { readonly Data: string; readonly Charset?: string } };
        readonly Headers?: readonly { readonly Name: string; readonly Value: string }[];
      };
    };
  };
}

/** One SQS ChangeMessageVisibility call (AWS JSON 1.0, `x-amz-target: AmazonSQS.ChangeMessageVisibility`). */
export interface VisibilityChange {
  readonly QueueUrl: string;
  readonly ReceiptHandle: string;
  readonly VisibilityTimeout: number;
}

export interface MailAws {
  /** Point the SDK here: the client's `endpoint`, or AWS_ENDPOINT_URL_SESV2 / AWS_ENDPOINT_URL_SQS. */
  readonly endpoint: string;
  readonly sent: SentWithSes[];
  readonly visibilityChanges: VisibilityChange[];
  /** Answers the next SendEmail calls with this error (SES's status code and error type), one per entry. */
  readonly failNext: { status: number; type: string; message: string }[];
  stop(): Promise<void>;
}

/**
 * A local endpoint speaking the two AWS APIs Notifications calls on AWS, the way Amazon answers them: SES v2
 * `SendEmail` (REST-JSON: 200 with `{ MessageId }`; errors as a status, an `x-amzn-ErrorType` header and a
 * `{ message }` body, which the SDK turns into typed exceptions) and SQS `ChangeMessageVisibility` (JSON 1.0).
 * Requests without a SigV4 Authorization header are refused, as AWS refuses them.
 */
export async function startMailAws(): Promise<MailAws> {
  const sent: SentWithSes[] = [];
  const visibilityChanges: VisibilityChange[] = [];
  const failNext: MailAws['failNext'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const authorization = String(req.headers.authorization ?? '');
      const scope = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/.exec(authorization);
      const fail = (status: number, type: string, message: string, json10 = false) => {
        res.writeHead(status, json10 ? { 'content-type': 'application/x-amz-json-1.0' } : { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() });
        res.end(JSON.stringify(json10 ? { __type: type, message } : { message }));
      };
      if (!scope) return fail(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      if (req.method === 'POST' && req.url === '/v2/email/outbound-emails') {
        const failure = failNext.shift();
        if (failure) return fail(failure.status, failure.type, failure.message);
        const messageId = `0100018e-${randomUUID()}-000000`;
        sent.push({ messageId, signedFor: `${scope[1]}/${scope[2]}`, request: JSON.parse(text) as SentWithSes['request'] });
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
        return res.end(JSON.stringify({ MessageId: messageId }));
      }
      if (req.headers['x-amz-target'] === 'AmazonSQS.ChangeMessageVisibility') {
        visibilityChanges.push(JSON.parse(text) as VisibilityChange);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        return res.end('{}');
      }
      return fail(400, 'UnknownOperationException', `unexpected ${req.method} ${req.url} ${String(req.headers['x-amz-target'] ?? '')}`, true);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    visibilityChanges,
    failNext,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
