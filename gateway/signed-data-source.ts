import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { identityClaims, identitySigningFetch } from '../lib/auth';
import { withRequestDeadline } from '../lib/http/deadline-fetch';
import { CORRELATION_HEADER } from '../lib/logging';
import type { GatewayContext } from './gateway-context';

/** The fetch function type RemoteGraphQLDataSource accepts. */
export type SubgraphFetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

/**
 * Every subgraph request carries the caller's identity signed with the gateway's secret over that very request
 * (method, path, exact body: lib/auth/signed-request.ts), the correlation id of the client request, so one id
 * follows the request through every subgraph's logs, and the client request's deadline as its abort signal.
 */
export class SignedIdentityDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    signingSecret: string,
    /** Set when subgraphs are IAM-authenticated function URLs: requests then leave SigV4-signed. */
    fetcher?: SubgraphFetcher,
  ) {
    super({ url, ...(fetcher ? { fetcher } : {}) });
    this.fetcher = withRequestDeadline(identitySigningFetch(this.fetcher, signingSecret));
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    // Only contexts we built carry a caller; health checks and schema loading run without one (anonymous).
    const caller = 'caller' in context ? (context as GatewayContext).caller : null;
    for (const [name, value] of Object.entries(identityClaims(caller ?? null))) headers.set(name, value);
    const correlationId = 'correlationId' in context ? (context as GatewayContext).correlationId : undefined;
    if (correlationId) headers.set(CORRELATION_HEADER, correlationId);
  }
}
