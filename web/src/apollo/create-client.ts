import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { OperationTypeNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import persistedQueryIds from 'virtual:persisted-query-ids';
import { canonicalDocument, persistedQueryIds as idsFrom } from '../../persisted-documents';
import { ResumingWsLink } from './resuming-ws-link';

export interface ShopClient {
  readonly apollo: ApolloClient;
  /** Closes the WebSocket; the client is not used afterwards (sign-out, another user). */
  dispose(): void;
}

export interface ShopClientOptions {
  readonly token: string | undefined;
  /** Where the gateway's GraphQL endpoint is, on this page's origin. */
  readonly path?: string;
  /** Send operations by their manifest id (production builds; see docs/web.md). */
  readonly persistedQueries: boolean;
}

function websocketUrl(path: string): string {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * One client per signed-in identity: a new sign-in gets a new cache (nothing of the previous user's data stays
 * readable) and a new socket (graphql-ws authenticates a connection once, in `connection_init`).
 * Queries and mutations go over HTTP, subscriptions over WebSocket (split link). Production builds send each
 * operation's manifest id in APQ's wire format (`extensions.persistedQuery.sha256Hash`) instead of its text.
 */
export function createShopClient(options: ShopClientOptions): ShopClient {
  const path = options.path ?? '/graphql';
  const authorization = options.token ? `Bearer ${options.token}` : undefined;
  let socket: Client | undefined;

  const http = new HttpLink({ uri: path, headers: authorization ? { authorization } : {} });
  let transport: ApolloLink = http;
  if (authorization) {
    // The gateway closes a socket without a valid token (4401): anonymous visitors never open one.
    socket = createClient({ url: websocketUrl(path), lazy: true, connectionParams: { authorization } });
    transport = ApolloLink.split((operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION, new ResumingWsLink(socket), http);
  }
  const link = options.persistedQueries
    ? ApolloLink.from([createPersistedQueryLink({ generateHash: idsFrom(persistedQueryIds) }), transport])
    : transport;

  const apollo = new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        // RewardAccount has no id: it belongs to its Customer, and a newer one replaces the older.
        Customer: { fields: { rewards: { merge: true } } },
      },
    }),
    documentTransform: canonicalDocument,
    clientAwareness: { name: 'storefront', version: '1' },
  });
  // An order's status changes resume after a reconnect (ResumingWsLink: the current state comes first when it
  // moved on); anything else on screen that changed meanwhile (reward points) is read again.
  socket?.on('connected', (_socket, _payload, wasRetry) => {
    if (wasRetry) void apollo.refetchQueries({ include: 'active' });
  });
  return {
    apollo,
    dispose() {
      void socket?.dispose();
      apollo.stop();
    },
  };
}
