/**
 * Hive Gateway configuration of the gateway benchmark: the same work as the project's gateway on authenticated
 * operations (verify the client's JWT once, forward the caller to subgraphs signed over each request's method, path
 * and body), nothing else changed from Hive's defaults. The caller's claims go through Hive's header propagation,
 * so its in-flight dedupe of subgraph requests keys on them (headers set later, in `onFetch`, would let it share
 * one customer's subgraph response with another); `onFetch` then signs them over the body actually sent.
 * Read by `hive-gateway supergraph --config-path <this file>`.
 */
import { defineConfig } from '@graphql-hive/gateway';
import { bearerToken, createTokenVerifier, identityClaims, IDENTITY_HEADERS, signRequest, type Caller } from '../../../lib/auth';

const verify = createTokenVerifier({ secret: process.env['JWT_SECRET'], jwksUrl: undefined, issuer: undefined, audience: undefined });
const signingSecret = process.env['GATEWAY_SIGNING_SECRET'] ?? '';

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs: ({ context }: { context: { caller?: Caller } }) => identityClaims(context.caller ?? null),
  },
  plugins: () => [
    {
      onFetch({ url, options, setOptions }: { url: string; options: RequestInit; setOptions(options: RequestInit): void }) {
        const headers = Object.fromEntries(new Headers(options.headers).entries());
        const sub = headers[IDENTITY_HEADERS.sub];
        const roles = headers[IDENTITY_HEADERS.roles];
        if (sub === undefined || roles === undefined || typeof options.body !== 'string') return;
        const target = new URL(url);
        const caller = { sub, roles: roles === '' ? [] : roles.split(',') };
        setOptions({ ...options, headers: { ...headers, ...signRequest({ caller, method: options.method ?? 'POST', path: `${target.pathname}${target.search}`, body: options.body }, signingSecret) } });
      },
    },
    {
      async onContextBuilding({ context, extendContext }: { context: { request: Request }; extendContext(extension: { caller: Caller }): void }) {
        const token = bearerToken(context.request.headers.get('authorization'));
        extendContext({ caller: token === undefined ? null : await verify(token) });
      },
    },
  ],
});
