import type { IncomingMessage } from 'node:http';
import type { AppError } from '../../lib/ddd';
import type { Admission, Caller, Edge, EdgeIdentity } from './admission';

/** What the edge left on an HTTP request for what runs after it: the caller and, when admitted, the measured document. */
export type HttpAdmission = Extract<Admission, { ok: true }> | { readonly caller: Caller; readonly ok: false };

/** The request's GraphQL fields, from a POST body or a GET query string. */
interface RawRequest {
  readonly query?: unknown;
  readonly operationName?: unknown;
  readonly variables?: unknown;
  readonly extensions?: unknown;
}

export type HttpAdmissionResult =
  /** Refused: answer with this error (before validation, planning or any subgraph call). */
  | { readonly kind: 'refused'; readonly error: AppError }
  /**
   * Admitted (or left for Apollo Server to report, `ok: false`). `body` or `url`, when set, replace the request's:
   * a document that came from the persisted store is handed on as text (Apollo Server's own persisted queries are off).
   */
  | { readonly kind: 'continue'; readonly admission: HttpAdmission; readonly body?: unknown; readonly url?: string }
  /** Batches, landing pages and other methods: nothing to admit. */
  | { readonly kind: 'skip' };

/**
 * The edge for one HTTP request, whatever serves it (the lean /graphql route or the Express one): the operation is
 * read from the POST body or the GET query string (GraphQL over HTTP: variables and extensions JSON-encoded) and
 * admitted once.
 */
export async function admitHttpRequest(
  edge: Edge,
  request: {
    readonly method: string | undefined;
    readonly url: string;
    readonly body: unknown;
    readonly req: IncomingMessage;
    /** The caller `Edge.beforeBody` identified already; else the Authorization header is verified here. */
    readonly identified?: { readonly caller: Caller } | undefined;
  },
  addressOf: (req: IncomingMessage) => string,
): Promise<HttpAdmissionResult> {
  let raw: RawRequest | undefined;
  if (request.method === 'POST' && request.body && typeof request.body === 'object' && !Array.isArray(request.body)) raw = request.body as RawRequest;
  else if (request.method === 'GET') raw = fromQueryString(request.url);
  if (!raw) return { kind: 'skip' };
  const identity: EdgeIdentity = request.identified ?? { authorization: request.req.headers.authorization };
  const admission = await edge.admit({ ...raw, address: addressOf(request.req) }, identity);
  if (!admission.ok) {
    if (admission.error) return { kind: 'refused', error: admission.error };
    return { kind: 'continue', admission: { ok: false, caller: admission.caller } };
  }
  if (!hasPersistedQuery(raw.extensions) && !admission.fromStore) return { kind: 'continue', admission };
  // Hands Apollo Server the resolved text, without the persisted query extension it would try to serve itself.
  const { persistedQuery: _resolved, ...extensions } = (raw.extensions ?? {}) as Record<string, unknown>;
  if (request.method === 'POST') return { kind: 'continue', admission, body: { ...(request.body as Record<string, unknown>), query: admission.query, extensions } };
  const url = new URL(request.url, 'http://gateway');
  url.searchParams.set('query', admission.query);
  url.searchParams.set('extensions', JSON.stringify(extensions));
  return { kind: 'continue', admission, url: `${url.pathname}${url.search}` };
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
