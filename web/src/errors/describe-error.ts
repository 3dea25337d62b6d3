import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** What the shop tells a person about a failed request: a sentence in plain words, then the server's detail. */
export interface ErrorDescription {
  /** The contract's `extensions.code` (docs/architecture.md §2), or NETWORK_ERROR when the gateway was not reached. */
  readonly code: string;
  readonly message: string;
  /** The server's own message (it names the value that was wrong), when it adds something. */
  readonly detail?: string;
}

/** The page asked for something the server does not know (a stale build, a stale persisted query). */
const OUT_OF_DATE = 'This page is out of date with the server. Reload the page to get the current version.';

const PLAIN_WORDS: Readonly<Record<string, string>> = {
  BAD_USER_INPUT: 'Something in the request was not accepted.',
  UNAUTHENTICATED: 'Please sign in: you are signed out or your sign-in has expired.',
  FORBIDDEN: 'You are not allowed to do that with this account.',
  NOT_FOUND: 'That does not exist (any more).',
  CONFLICT: 'That clashes with something that already exists.',
  PRODUCT_UNAVAILABLE: 'Not enough stock: a product in your cart is sold out or has fewer units left than you asked for.',
  INVALID_ORDER_TRANSITION: 'The order cannot move to that status from the one it is in.',
  INSUFFICIENT_POINTS: 'You do not have enough reward points for that.',
  CATALOG_UNAVAILABLE: 'The catalog cannot be reached right now. Your order was not placed; please try again in a moment.',
  QUERY_TOO_COMPLEX: 'The page asked the server for too much at once.',
  RATE_LIMITED: 'Too many requests in a short time. Please wait a moment and try again.',
  PERSISTED_QUERY_NOT_FOUND: OUT_OF_DATE,
  // Apollo Server's codes for a request that cannot run: the page and the server disagree on the schema.
  GRAPHQL_PARSE_FAILED: OUT_OF_DATE,
  GRAPHQL_VALIDATION_FAILED: OUT_OF_DATE,
  OPERATION_RESOLUTION_FAILURE: OUT_OF_DATE,
  PERSISTED_QUERY_NOT_SUPPORTED: OUT_OF_DATE,
  BAD_REQUEST: 'The server could not read the request. Reload the page and try again.',
  SERVICE_UNAVAILABLE: 'The shop is busy or restarting. Please try again in a moment.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again.',
  NETWORK_ERROR: 'The shop cannot be reached. Check your connection and try again.',
};

interface FormattedError {
  readonly message: string;
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
}

function fromGraphQLError(error: FormattedError, retryAfter?: string | null): ErrorDescription {
  const extensions = error.extensions ?? {};
  const code = typeof extensions['code'] === 'string' ? extensions['code'] : 'INTERNAL_SERVER_ERROR';
  let message = PLAIN_WORDS[code] ?? PLAIN_WORDS['INTERNAL_SERVER_ERROR']!;
  const seconds = retryAfter ?? (typeof extensions['retryAfter'] === 'number' ? String(extensions['retryAfter']) : undefined);
  if (code === 'RATE_LIMITED' && seconds && /^\d+$/.test(seconds)) {
    message = `Too many requests in a short time. Please wait ${seconds} s and try again.`;
  }
  const reference = typeof extensions['correlationId'] === 'string' ? extensions['correlationId'] : undefined;
  if (code === 'INTERNAL_SERVER_ERROR') {
    // Masked errors carry no useful message, only the reference support can look up.
    return { code, message, ...(reference ? { detail: `Reference: ${reference}` } : {}) };
  }
  const detail = error.message.trim();
  return { code, message, ...(detail && detail !== message ? { detail } : {}) };
}

/** A body the gateway sent with a non-GraphQL media type may still be a GraphQL error response. */
function parseErrors(bodyText: string): FormattedError[] {
  try {
    const body = JSON.parse(bodyText) as { errors?: unknown };
    return Array.isArray(body.errors) ? (body.errors as FormattedError[]).filter((e) => typeof e?.message === 'string') : [];
  } catch {
    return [];
  }
}

/** Every error of a failed request, in plain words, keyed by `extensions.code`. */
export function describeErrors(error: unknown): ErrorDescription[] {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((e) => fromGraphQLError(e));
  }
  if (ServerError.is(error)) {
    const retryAfter = error.response.headers.get('retry-after');
    const errors = parseErrors(error.bodyText);
    if (errors.length > 0) return errors.map((e) => fromGraphQLError(e, retryAfter));
    const code = error.statusCode === 429 ? 'RATE_LIMITED' : error.statusCode === 401 ? 'UNAUTHENTICATED' : error.statusCode === 403 ? 'FORBIDDEN' : 'INTERNAL_SERVER_ERROR';
    return [fromGraphQLError({ message: '', extensions: { code } }, retryAfter)];
  }
  const closed = error instanceof Error ? SOCKET_CLOSED.exec(error.message) : null;
  if (closed) {
    return [fromGraphQLError({ message: closed[2]?.trim() ?? '', extensions: { code: closeCodeMeaning(Number(closed[1])) } })];
  }
  return [{ code: 'NETWORK_ERROR', message: PLAIN_WORDS['NETWORK_ERROR']! }];
}

/** How Apollo's GraphQLWsLink reports a WebSocket the server closed. */
const SOCKET_CLOSED = /^Socket closed with event (\d+)(.*)$/;

/**
 * graphql-ws close codes the gateway uses (docs/subscriptions.md): 4401 an invalid or expired token, 4403
 * forbidden, 4429 too many requests; anything else is a lost connection.
 */
function closeCodeMeaning(closeCode: number): string {
  if (closeCode === 4401) return 'UNAUTHENTICATED';
  if (closeCode === 4403) return 'FORBIDDEN';
  if (closeCode === 4429) return 'RATE_LIMITED';
  return 'NETWORK_ERROR';
}
