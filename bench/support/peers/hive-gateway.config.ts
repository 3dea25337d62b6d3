/**
 * Hive Gateway configuration of the gateway benchmark: the same work as the project's gateway on authenticated
 * operations (verify the client's JWT once, forward the caller to subgraphs in the signed identity headers), nothing
 * else changed from Hive's defaults. The headers go through Hive's header propagation, so its in-flight dedupe of
 * subgraph requests keys on them (headers set later, in `onFetch`, would let it share one customer's subgraph
 * response with another). Read by `hive-gateway supergraph --config-path <this file>`.
 */
import { defineConfig } from '@graphql-hive/gateway';
import { bearerToken, createTokenVerifier, signIdentity, type Caller } from '../../../lib/auth';

const verify = createTokenVerifier({ secret: process.env['JWT_SECRET'], jwksUrl: undefined, issuer: undefined, audience: undefined });
const signingSecret = process.env['GATEWAY_SIGNING_SECRET'] ?? '';

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs: ({ context }: { context: { caller?: Caller } }) => signIdentity(context.caller ?? null, signingSecret),
  },
  plugins: () => [
    {
      async onContextBuilding({ context, extendContext }: { context: { request: Request }; extendContext(extension: { caller: Caller }): void }) {
        const token = bearerToken(context.request.headers.get('authorization'));
        extendContext({ caller: token === undefined ? null : await verify(token) });
      },
    },
  ],
});
