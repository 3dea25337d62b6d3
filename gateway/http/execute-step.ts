import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GatewayContext } from '../gateway-context';
import type { GraphQLExchange, HttpStep } from './exchange';

/**
 * The last step: Apollo Server runs the request (validation, the landing page, CSRF prevention, planning and
 * execution through the supergraph) with the GraphQL context `context` builds from the exchange, and its answer is
 * written as it comes (incremental delivery streams).
 */
export function executeStep(server: ApolloServer<GatewayContext>, context: (exchange: GraphQLExchange) => Promise<GatewayContext>): HttpStep {
  return async (exchange) => {
    const { req, res } = exchange;
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = exchange.url;
    const queryAt = url.indexOf('?');
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: queryAt >= 0 ? url.slice(queryAt) : '', body: exchange.body },
      context: () => context(exchange),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return true;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
    return true;
  };
}
