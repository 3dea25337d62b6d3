/**
 * GraphiQL for the gateway, bundled from npm and served by the gateway at /graphiql in development (no CDN, so
 * it works offline). Queries and mutations go to /graphql over HTTP; subscriptions over graphql-ws on the same
 * path, with the headers of the Headers tab as the `connection_init` payload, which is where the gateway reads
 * the token of a WebSocket (docs/subscriptions.md).
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const endpoint = new URL('/graphql', window.location.href);
const subscriptionUrl = new URL(endpoint);
subscriptionUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

const fetcher = createGraphiQLFetcher({ url: endpoint.toString(), subscriptionUrl: subscriptionUrl.toString() });

const DEFAULT_QUERY = `# Federated Commerce: the supergraph of Catalog, Orders and Rewards.
#
# Anonymous callers may read the catalog. For everything else, get a token in a terminal:
#   npm run -s token -- --sub customer-1           (a customer)
#   npm run -s token -- --sub admin-1 --admin      (an admin)
# and put it in the Headers tab below:
#   { "Authorization": "Bearer <token>" }
# Subscriptions (orderStatusChanged) run over WebSocket with the same header.

query Products($category: String) {
  products(category: $category, first: 5) {
    edges {
      node {
        id
        name
        category
        price { amount currency }
        inStock
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

const root = document.getElementById('graphiql');
if (!root) throw new Error('index.html has no #graphiql element');
createRoot(root).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} defaultHeaders={'{\n  \n}'} defaultEditorToolsVisibility="headers" isHeadersEditorEnabled shouldPersistHeaders />
  </StrictMode>,
);
