/**
 * Hive Gateway configuration of the gateway benchmark: the same work as the project's gateway on authenticated
 * operations (verify the client's JWT, forward the caller to subgraphs in the signed identity headers), nothing else
 * changed from Hive's defaults. Read by `hive-gateway supergraph --config-path <this file>`.
 */
import { defineConfig } from '@graphql-hive/gateway';
import { bearerToken, createTokenVerifier, signIdentity, type Caller } from '../../../lib/auth';

const verify = createTokenVerifier({ secret: process.env['JWT_SECRET'], jwksUrl: undefined, issuer: undefined, audience: undefined });
const signingSecret = process.env['GATEWAY_SIGNING_SECRET'] ?? '';

export const gatewayConfig = defineConfig({
  plugins: () => [
    {
      async onContextBuilding({ context, extendContext }: { context: { request: Request }; extendContext(extension: { caller: Caller }): void }) {
        const token = bearerToken(context.request.headers.get('authorization'));
        extendContext({ caller: token === undefined ? null : await verify(token) });
      },
      onFetch({ context, options, setOptions }: { context?: { caller?: Caller }; options: { headers?: unknown }; setOptions(options: object): void }) {
        const caller = context?.caller ?? null;
        if (!caller) return;
        setOptions({ ...options, headers: { ...(options.headers as Record<string, string> | undefined), ...signIdentity(caller, signingSecret) } });
      },
    },
  ],
});
