import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { StockHoldsApi } from './stock-holds-api';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** Serves the internal command API for function URL events (payload v2): the Lambda side of the same routes. */
export async function serveStockHoldsFromLambda(api: StockHoldsApi, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  let body: unknown;
  const rawBody = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  if (rawBody !== undefined && rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody.toString());
    } catch {
      return { statusCode: 400, headers: JSON_HEADERS, body: JSON.stringify({ error: { code: 'BAD_USER_INPUT', message: 'the body must be JSON' } }) };
    }
  }
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const target = event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
  const response = await api({ method: event.requestContext.http.method, path: event.rawPath, target, headers, rawBody, body });
  return { statusCode: response.status, headers: JSON_HEADERS, body: JSON.stringify(response.body) };
}
