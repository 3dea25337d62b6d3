/**
 * A stock Apollo Gateway on Apollo Server with their defaults (standalone server, default data source and fetcher),
 * doing what any deployment must for this graph: verify the client's JWT and forward the caller in the signed
 * identity headers. The gateway benchmark's baseline.
 *   node --import tsx bench/support/peers/apollo-stock-gateway.ts <supergraph file> <port>
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { bearerToken, createTokenVerifier, identityClaims, identitySigningFetch, type Caller } from '../../../lib/auth';

interface Context {
  readonly caller: Caller;
}

const [supergraphPath, port] = process.argv.slice(2);
const verify = createTokenVerifier({ secret: process.env['JWT_SECRET'], jwksUrl: undefined, issuer: undefined, audience: undefined });
const signingSecret = process.env['GATEWAY_SIGNING_SECRET'] ?? '';

/** The default data source and fetcher, signing the caller over each request's exact body (lib/auth/signing-fetch.ts). */
class SignedDataSource extends RemoteGraphQLDataSource<Context> {
  constructor(options: ConstructorParameters<typeof RemoteGraphQLDataSource<Context>>[0]) {
    super(options);
    this.fetcher = identitySigningFetch(this.fetcher, signingSecret);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>): void {
    const caller = (context as Partial<Context>).caller ?? null;
    for (const [name, value] of Object.entries(identityClaims(caller))) request.http?.headers.set(name, value);
  }
}

async function main(): Promise<void> {
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraphPath!, 'utf8'), buildService: ({ url }) => new SignedDataSource({ url }) });
  const server = new ApolloServer<Context>({ gateway });
  await startStandaloneServer(server, {
    listen: { port: Number(port), host: '127.0.0.1' },
    context: async ({ req }) => {
      const token = bearerToken(req.headers.authorization);
      return { caller: token === undefined ? null : await verify(token) };
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
