import type { DocumentNode, GraphQLError, OperationDefinitionNode } from 'graphql';
import type { TokenVerifier, VerifiedIdentity } from '../../lib/auth';
import { AppError, ValidationError } from '../../lib/ddd';
import { authenticate } from '../authenticate';
import type { OperationMeasure } from '../limits/analyse-operation';
import type { OperationGuard } from '../limits/operation-guard';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import { resolveDocument, type PersistedDocumentStore } from '../trusted-documents/persisted-documents';

/** One GraphQL request as it arrived, whatever the transport. */
export interface EdgeRequest {
  readonly query?: unknown;
  readonly operationName?: unknown;
  readonly variables?: unknown;
  readonly extensions?: unknown;
  /** The client's address (X-Forwarded-For only from trusted proxies). */
  readonly address: string;
}

/** Who sends it: an Authorization header still to verify (HTTP), or a caller verified when the connection opened. */
export type EdgeIdentity = { readonly authorization: string | undefined } | { readonly caller: Caller };

/** A verified caller (with its token's expiry), or null for an anonymous one. */
export type Caller = VerifiedIdentity | null;

export type Admission =
  | {
      readonly ok: true;
      readonly caller: Caller;
      /** The document text that runs (a trusted document's when asked for by hash). */
      readonly query: string;
      /** Whether `query` came from the persisted document store rather than the request. */
      readonly fromStore: boolean;
      readonly document: DocumentNode;
      readonly operation: OperationDefinitionNode | undefined;
      readonly operationName: string | undefined;
      readonly variables: Record<string, unknown> | undefined;
      readonly measure: OperationMeasure;
    }
  | { readonly ok: false; readonly error: AppError }
  /** Not a GraphQL document (or no document at all): reported as the transport reports syntax errors. */
  | { readonly ok: false; readonly error: undefined; readonly syntaxError?: GraphQLError; readonly caller: Caller };

/**
 * The gateway's door, the same on every transport and run once per request before validation or planning: the
 * caller is identified, an address or caller already over its rate budget is turned away from memory, the document
 * is resolved (trusted documents), measured against the query limits, and the request spends rate points for its
 * cost (one point when refused, so floods of bad tokens or hostile documents are limited too).
 */
export class Edge {
  constructor(
    private readonly deps: {
      readonly verifyToken: TokenVerifier;
      readonly guard: OperationGuard;
      readonly rateLimiter: RateLimiter;
      readonly documents: PersistedDocumentStore | undefined;
    },
  ) {}

  /**
   * Before an HTTP request's body is read or parsed: who calls (its token verified), and whether that caller, or for
   * an anonymous caller or a bad token its address, is already over its rate budget. A bad token (which spends one
   * point, as in admit) and a caller already over budget are refused here, so a flood of them costs no parsing at
   * all; an admitted caller goes on to `admit` with `{ caller }`.
   */
  async beforeBody(authorization: string | undefined, address: string): Promise<{ readonly ok: true; readonly caller: Caller } | { readonly ok: false; readonly error: AppError }> {
    const { rateLimiter } = this.deps;
    let caller: Caller;
    try {
      caller = await authenticate(this.deps.verifyToken, authorization);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (rateLimiter.enabled) {
        const limited = rateLimiter.blocked('anonymous', address) ?? (await rateLimiter.consume('anonymous', address, 1));
        if (limited) return { ok: false, error: limited };
      }
      return { ok: false, error };
    }
    const blocked = rateLimiter.enabled ? rateLimiter.blocked(caller ? 'caller' : 'anonymous', caller ? caller.sub : address) : undefined;
    return blocked ? { ok: false, error: blocked } : { ok: true, caller };
  }

  async admit(request: EdgeRequest, identity: EdgeIdentity): Promise<Admission> {
    const { guard, rateLimiter } = this.deps;
    let caller: Caller = null;
    let refusal: AppError | undefined;
    if ('caller' in identity) {
      caller = identity.caller;
    } else {
      try {
        caller = await authenticate(this.deps.verifyToken, identity.authorization);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        refusal = error;
      }
    }
    const bucket = caller ? 'caller' : 'anonymous';
    const key = caller ? caller.sub : request.address;
    if (rateLimiter.enabled) {
      const blocked = rateLimiter.blocked(bucket, key);
      if (blocked) return { ok: false, error: blocked };
    }

    let admitted: Extract<Admission, { ok: true }> | undefined;
    let syntaxError: GraphQLError | undefined;
    if (!refusal) {
      const shapeError = checkShape(request);
      const resolved = shapeError ? undefined : await resolveDocument(this.deps.documents, request);
      if (shapeError) refusal = shapeError;
      else if (resolved?.kind === 'refused') refusal = resolved.error;
      else if (resolved?.kind === 'text') {
        const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
        const variables = (request.variables ?? undefined) as Record<string, unknown> | undefined;
        const guarded = guard.check({ query: resolved.query, operationName, variables });
        if (guarded.kind === 'too-complex') refusal = guarded.error;
        else if (guarded.kind === 'syntax-error') syntaxError = guarded.error;
        else {
          admitted = {
            ok: true,
            caller,
            query: resolved.query,
            fromStore: resolved.fromStore,
            document: guarded.document,
            operation: guarded.operation,
            operationName,
            variables,
            measure: guarded.measure,
          };
        }
      }
    }

    if (rateLimiter.enabled) {
      const limited = await rateLimiter.consume(bucket, key, admitted ? rateLimiter.pointsFor(admitted.measure.cost) : 1);
      if (limited) return { ok: false, error: limited };
    }
    if (refusal) return { ok: false, error: refusal };
    return admitted ?? { ok: false, error: undefined, caller, ...(syntaxError ? { syntaxError } : {}) };
  }
}

/** The request's fields have the types GraphQL over HTTP requires (Apollo Server's message for a query that is not a string). */
function checkShape(request: EdgeRequest): ValidationError | undefined {
  if (request.query !== undefined && request.query !== null && typeof request.query !== 'string') return new ValidationError('query', 'GraphQL queries must be strings.');
  if (request.operationName !== undefined && request.operationName !== null && typeof request.operationName !== 'string') {
    return new ValidationError('operationName', 'operationName must be a string');
  }
  if (request.variables !== undefined && request.variables !== null && (typeof request.variables !== 'object' || Array.isArray(request.variables))) {
    return new ValidationError('variables', 'variables must be an object');
  }
  if (request.extensions !== undefined && request.extensions !== null && (typeof request.extensions !== 'object' || Array.isArray(request.extensions))) {
    return new ValidationError('extensions', 'extensions must be an object');
  }
  return undefined;
}
