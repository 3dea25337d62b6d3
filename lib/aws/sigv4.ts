import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { NodeSha256 } from './sha256';

export interface SignableRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;

/**
 * Signs HTTP requests with AWS Signature Version 4, for Lambda function URLs whose auth type is AWS_IAM: the
 * gateway calls the subgraphs and Orders calls Catalog's REST API with their own IAM roles, so nothing but them
 * can reach the subgraphs. Returns the request's headers plus the signature headers.
 */
export function createSigV4Signer(options: {
  region: string;
  service?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}): RequestSigner {
  const signer = new SignatureV4({
    service: options.service ?? 'lambda',
    region: options.region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: NodeSha256,
  });
  return async (request) => {
    const url = new URL(request.url);
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: request.method.toUpperCase(),
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query,
        headers: { ...lowerCase(request.headers), host: url.host },
        ...(request.body !== undefined ? { body: request.body } : {}),
      }),
    );
    return signed.headers as Record<string, string>;
  };
}

function lowerCase(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
