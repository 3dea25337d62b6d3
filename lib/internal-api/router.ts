import { internalCommandKey, serviceNameOf, verifyRequest, type ServiceName } from '../auth';
import { AppError, ErrorCode, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../ddd';
import { httpStatusOf } from '../http/status';
import type { Logger } from '../logging';

/** A request to an internal route, as the express and Lambda adapters hand it over. */
export interface InternalRequest {
  readonly method: string;
  /** The path alone, for routing. */
  readonly path: string;
  /** The request target as sent (path and query string), which the caller's signature covers. */
  readonly target: string;
  readonly headers: Parameters<typeof verifyRequest>[0];
  /** The body's exact bytes, which the caller's signature covers. */
  readonly rawBody: string | Uint8Array | undefined;
  /** The parsed JSON body (undefined when there was none). */
  readonly body: unknown;
}

export interface InternalResponse {
  readonly status: number;
  readonly body: unknown;
}

/** What a route's handler is given: the path parameters (decoded), the JSON body and the verified calling service. */
export interface InternalCall {
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly caller: ServiceName;
}

export interface InternalRoute {
  readonly method: 'GET' | 'POST';
  /** A path template: literal segments and `:name` parameters, e.g. `/internal/orders/:id`. */
  readonly path: string;
  /** The only services that may call this route; any other verified identity is FORBIDDEN. */
  readonly callers: readonly ServiceName[];
  /** Answers 200 with what it returns; a thrown AppError answers its code's status and `{ error }`. */
  readonly handle: (call: InternalCall) => Promise<unknown>;
}

export type InternalApi = (request: InternalRequest) => Promise<InternalResponse>;

export interface InternalRouterOptions {
  /** The service serving the routes, for logs. */
  readonly service: string;
  /** GATEWAY_SIGNING_SECRET: the internal command key is derived from it (lib/auth/internal-commands.ts). */
  readonly signingSecret: string;
  /** SIGNED_REQUEST_WINDOW_SECONDS. */
  readonly windowSeconds: number;
  readonly routes: readonly InternalRoute[];
  readonly logger: Logger;
}

interface CompiledRoute {
  readonly route: InternalRoute;
  readonly segments: readonly string[];
}

/** Parameter values are short ids; anything longer is refused before a handler sees it. */
const MAX_PARAM_LENGTH = 200;

/**
 * A context's internal API, framework-neutral so the local server (express.ts) and the Lambda handler (lambda.ts)
 * give the same answers. Every request must carry a service identity signed with the internal command key over
 * that very request (method, target and exact body, within the signing window); then the route decides which
 * services may call it. In that order: an unsigned caller learns nothing, not even which routes exist.
 * Errors are `{ error: { code, message, details? } }` with the contract's codes and their HTTP statuses.
 */
export function createInternalRouter(options: InternalRouterOptions): InternalApi {
  const key = internalCommandKey(options.signingSecret);
  const compiled: CompiledRoute[] = options.routes.map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }));

  function authenticate(request: InternalRequest): ServiceName {
    const verification = verifyRequest(request.headers, { method: request.method, path: request.target, body: request.rawBody }, key, { windowSeconds: options.windowSeconds });
    if (verification.status === 'anonymous') throw new UnauthenticatedError('internal routes need a signed service identity');
    if (verification.status === 'rejected') throw new UnauthenticatedError(`the service identity is not valid: ${verification.reason}`);
    const service = serviceNameOf(verification.identity);
    if (!service) throw new ForbiddenError(`${verification.identity.sub} is not a service and may not call internal routes`);
    return service;
  }

  async function route(request: InternalRequest): Promise<unknown> {
    const caller = authenticate(request);
    const segments = request.path.split('/').filter(Boolean);
    for (const { route: candidate, segments: template } of compiled) {
      if (candidate.method !== request.method.toUpperCase()) continue;
      const params = match(template, segments);
      if (!params) continue;
      if (!candidate.callers.includes(caller)) throw new ForbiddenError(`service ${caller} may not call ${candidate.method} ${candidate.path}`);
      return candidate.handle({ params, body: request.body, caller });
    }
    throw new NotFoundError(`no internal route ${request.method} ${request.path.slice(0, 100)}`);
  }

  return async (request) => {
    try {
      return { status: 200, body: await route(request) };
    } catch (error) {
      if (error instanceof AppError) return failure(error.code, error.message, error.details);
      options.logger.error({ err: error, method: request.method, path: request.path.slice(0, 200) }, `internal ${options.service} route failed`);
      return failure(ErrorCode.INTERNAL_SERVER_ERROR, `the ${options.service} service could not answer; try again`);
    }
  };
}

/** The decoded parameters when `segments` fit the template, else undefined; a bad escape or an overlong value is BAD_USER_INPUT. */
function match(template: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i += 1) {
    const expected = template[i]!;
    const actual = segments[i]!;
    if (!expected.startsWith(':')) {
      if (expected !== actual) return undefined;
      continue;
    }
    let value: string;
    try {
      value = decodeURIComponent(actual);
    } catch {
      throw new ValidationError(expected.slice(1), `the ${expected.slice(1)} in the path is not a valid escape`);
    }
    if (value.length === 0 || value.length > MAX_PARAM_LENGTH) {
      throw new ValidationError(expected.slice(1), `the ${expected.slice(1)} in the path must be 1-${MAX_PARAM_LENGTH} characters`);
    }
    params[expected.slice(1)] = value;
  }
  return params;
}

export function failure(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>): InternalResponse {
  return { status: httpStatusOf[code], body: { error: { code, message, ...(details ? { details } : {}) } } };
}
