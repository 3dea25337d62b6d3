import { signRequest, type Identity } from '../../lib/auth';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  readonly status: number;
  readonly data: TData | null | undefined;
  readonly errors: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] | undefined;
  readonly headers: Headers;
}

/** Identity to sign a request to a subgraph with, as the gateway does (over this request's exact body). */
export interface SignedAs {
  readonly caller: Identity;
  readonly secret: string;
}

/** POSTs a GraphQL operation over real HTTP, the way any client does. */
export async function graphql<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; headers?: Record<string, string>; signedAs?: SignedAs } = {},
): Promise<GraphQLResponse<TData>> {
  const payload = JSON.stringify({ query, variables });
  const target = new URL(url);
  const identity = options.signedAs
    ? signRequest({ caller: options.signedAs.caller, method: 'POST', path: `${target.pathname}${target.search}`, body: payload }, options.signedAs.secret)
    : {};
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...identity,
      ...options.headers,
    },
    body: payload,
  });
  const text = await response.text();
  let body: { data?: TData | null; errors?: GraphQLResponse['errors'] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`non-JSON response ${response.status}: ${text.slice(0, 300)}`);
  }
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
}

/** The error codes of a response, in order: what most assertions compare. */
export function errorCodes(response: GraphQLResponse<unknown>): (string | undefined)[] {
  return (response.errors ?? []).map((error) => error.extensions?.['code'] as string | undefined);
}
