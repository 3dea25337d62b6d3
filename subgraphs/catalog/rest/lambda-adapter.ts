import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ProductsRestApi } from './products-rest-api';

/** Serves the framework-neutral REST handler for API Gateway HTTP API / function URL events (payload v2). */
export async function serveRestFromLambda(api: ProductsRestApi, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const headers = new Map(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const response = await api({
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    header: (name) => headers.get(name.toLowerCase()),
  });
  return { statusCode: response.status, headers: response.headers, ...(response.body !== undefined ? { body: response.body } : {}) };
}
