import type { Edge, EdgeIdentity } from '../edge/admission';
import type { HttpStep } from './exchange';
import { sendError } from './send-error';

/** The request's GraphQL fields, from a POST body or a GET query string. */
interface RawRequest {
  readonly query?: unknown;
  readonly operationName?: unknown;
  readonly variables?: unknown;
  readonly extensions?: unknown;
}

/**
 * The edge (gateway/edge/admission.ts) for an HTTP request: the operation is read from the POST body or the GET query
 * string (GraphQL over HTTP: variables and extensions JSON-encoded) and admitted once, before validation, planning
 * or any subgraph call. A refusal is answered here. An admitted request goes on with `exchange.admission`; a
 * document that came from the persisted store is handed on as text (Apollo Server's own persisted queries are off).
 * Requests with nothing to admit (batches, the landing page) and documents that do not parse go on as they are, for
 * Apollo Server to answer as it answers them.
 */
export function admitStep(edge: Edge): HttpStep {
  return async (exchange) => {
    const { req } = exchange;
    let raw: RawRequest | undefined;
    if (req.method === 'POST' && exchange.body && typeof exchange.body === 'object' && !Array.isArray(exchange.body)) raw = exchange.body as RawRequest;
    else if (req.method === 'GET') raw = fromQueryString(exchange.url);
    if (!raw) return false;
    const identity: EdgeIdentity = exchange.caller !== undefined ? { caller: exchange.caller } : { authorization: req.headers.authorization };
    const admission = await edge.admit({ ...raw, address: exchange.address }, identity);
    if (!admission.ok && admission.error) {
      sendError(exchange.res, admission.error);
      return true;
    }
    exchange.admission = admission.ok ? admission : { ok: false, caller: admission.caller };
    if (!hasPersistedQuery(raw.extensions) && !(admission.ok && admission.fromStore)) return false;
    // Hands Apollo Server the resolved text (or the text that does not parse, for it to report), without the
    // persisted query extension it would answer PERSISTED_QUERY_NOT_SUPPORTED to (its own persisted queries are off).
    const query = admission.ok ? admission.query : raw.query;
    const { persistedQuery: _resolved, ...extensions } = (raw.extensions ?? {}) as Record<string, unknown>;
    if (req.method === 'POST') {
      exchange.body = { ...(exchange.body as Record<string, unknown>), query, extensions };
      return false;
    }
    const url = new URL(exchange.url, 'http://gateway');
    if (typeof query === 'string') url.searchParams.set('query', query);
    url.searchParams.set('extensions', JSON.stringify(extensions));
    exchange.url = `${url.pathname}${url.search}`;
    return false;
  };
}

function fromQueryString(target: string): RawRequest | undefined {
  const params = new URL(target, 'http://gateway').searchParams;
  if (!params.has('query') && !params.has('extensions')) return undefined;
  const json = (name: string): unknown => {
    const value = params.get(name);
    if (value === null || value === '') return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // not JSON: the shape check reports it
    }
  };
  return { query: params.get('query') ?? undefined, operationName: params.get('operationName') ?? undefined, variables: json('variables'), extensions: json('extensions') };
}

function hasPersistedQuery(extensions: unknown): boolean {
  return !!extensions && typeof extensions === 'object' && 'persistedQuery' in extensions;
}
