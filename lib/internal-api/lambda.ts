import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ErrorCode } from '../ddd';
import { parseJsonBody } from './express';
import { failure, type InternalApi, type InternalResponse } from './router';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** Serves an internal API for function URL events (payload v2): the Lambda side of the same routes. */
export async function serveInternalApiFromLambda(api: InternalApi, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const rawBody = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) return result(failure(ErrorCode.BAD_USER_INPUT, 'the body must be JSON'));
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const target = event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
  return result(await api({ method: event.requestContext.http.method, path: event.rawPath, target, headers, rawBody, body: parsed.value }));
}

function result(response: InternalResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: response.status, headers: JSON_HEADERS, body: JSON.stringify(response.body) };
}
