import { validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { TokenVerifier, VerifiedIdentity } from '../../lib/auth';
import { AppError, BadRequestError } from '../../lib/ddd';
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

/** Bytes of a registered document per rate point it spends (APQ registrations: gateway/trusted-documents). */
const REGISTRATION_BYTES_PER_POINT = 1024;

/**
 * The gateway's door, the same on every transport and run once per request before validation or planning: the
 * caller is identified, an address or caller already over its rate budget is turned away from memory, the document
 * is resolved (trusted documents), measured against the query limits, and the request spends rate points for its
 * cost (one point when refused, so floods of bad tokens or hostile documents are limited too). Every refusal is
 * reported to `onRefused` with the time it took (operation metrics count them as rejected), whatever the transport.
 */
export class Edge {
  constructor(
    private readonly deps: {
      readonly verifyToken: TokenVerifier;
      readonly guard: OperationGuard;
      readonly rateLimiter: RateLimiter;
      readonly documents: PersistedDocumentStore | undefined;
      /** The API schema: documents are validated against it before they are registered (APQ). */
      readonly schema: () => GraphQLSchema;
      readonly onRefused?: (seconds: number) => void;
    },
  ) {}

  /**
   * Before a request's body is read or parsed (HTTP), or when a WebSocket connection opens: who calls (its token
   * verified), and whether that caller, or for an anonymous caller or a bad token its address, is already over its
   * rate budget. A bad token (which spends one point, as in admit) and a caller already over budget are refused
   * here, so a flood of them costs no parsing at all; an identified caller goes on to `admit` with `{ caller }`.
   */
  async identify(authorization: string | undefined, address: string): Promise<{ readonly ok: true; readonly caller: Caller } | { readonly ok: false; readonly error: AppError }> {
    const started = process.hrtime.bigint();
    const { rateLimiter } = this.deps;
    let caller: Caller;
    try {
      caller = await authenticate(this.deps.verifyToken, authorization);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (rateLimiter.enabled) {
        const limited = rateLimiter.blocked('anonymous', address) ?? (await rateLimiter.consume('anonymous', address, 1));
        if (limited) return this.refused(limited, started);
      }
      return this.refused(error, started);
    }
    const blocked = rateLimiter.enabled ? rateLimiter.blocked(caller ? 'caller' : 'anonymous', caller ? caller.sub : address) : undefined;
    return blocked ? this.refused(blocked, started) : { ok: true, caller };
  }

  async admit(request: EdgeRequest, identity: EdgeIdentity): Promise<Admission> {
    const started = process.hrtime.bigint();
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
      if (blocked) return this.refused(blocked, started);
    }

    let admitted: Extract<Admission, { ok: true }> | undefined;
    let syntaxError: GraphQLError | undefined;
    /** An APQ registration to make once the request is admitted and has paid for it. */
    let registration: { readonly hash: string; readonly query: string; readonly points: number } | undefined;
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
          // Only a document that would run is kept: one that parses, passes the limits (above) and validates.
          // Validation is safe here because the limits bound the document first (docs/architecture.md §8).
          if (resolved.register !== undefined && validate(this.deps.schema(), guarded.document).length === 0) {
            const bytes = Buffer.byteLength(resolved.query);
            registration = { hash: resolved.register, query: resolved.query, points: Math.ceil(bytes / REGISTRATION_BYTES_PER_POINT) };
          }
        }
      }
    }

    if (rateLimiter.enabled) {
      // A registration is paid for by the bytes it keeps, from the same budget: a flood of large documents runs out
      // of points long before it fills memory or Redis.
      const points = (admitted ? rateLimiter.pointsFor(admitted.measure.cost) : 1) + (registration?.points ?? 0);
      const limited = await rateLimiter.consume(bucket, key, points);
      if (limited) return this.refused(limited, started);
    }
    if (refusal) return this.refused(refusal, started);
    if (registration) await this.deps.documents?.register?.(registration.hash, registration.query);
    return admitted ?? { ok: false, error: undefined, caller, ...(syntaxError ? { syntaxError } : {}) };
  }

  private refused(error: AppError, started: bigint): { readonly ok: false; readonly error: AppError } {
    this.deps.onRefused?.(Number(process.hrtime.bigint() - started) / 1e9);
    return { ok: false, error };
  }
}

/**
 * The request's fields have the types GraphQL over HTTP requires; otherwise it is not a GraphQL request (Apollo
 * Server's BAD_REQUEST), whatever the transport.
 */
function checkShape(request: EdgeRequest): BadRequestError | undefined {
  if (request.query !== undefined && request.query !== null && typeof request.query !== 'string') return new BadRequestError('GraphQL queries must be strings.');
  if (request.operationName !== undefined && request.operationName !== null && typeof request.operationName !== 'string') {
    return new BadRequestError('`operationName` must be a string when given');
  }
  if (request.variables !== undefined && request.variables !== null && (typeof request.variables !== 'object' || Array.isArray(request.variables))) {
    return new BadRequestError('`variables` must be an object when given');
  }
  if (request.extensions !== undefined && request.extensions !== null && (typeof request.extensions !== 'object' || Array.isArray(request.extensions))) {
    return new BadRequestError('`extensions` must be an object when given');
  }
  return undefined;
}
