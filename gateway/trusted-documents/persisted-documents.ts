import { createHash } from 'node:crypto';
import { BadRequestError, ForbiddenError, PersistedQueryNotFoundError, PersistedQueryNotSupportedError, type AppError } from '../../lib/ddd';

/**
 * Where the gateway finds documents sent by hash (`extensions.persistedQuery.sha256Hash`, the APQ wire format that
 * Apollo Client's persisted-queries link sends), on every transport. A trusted-documents manifest is one store;
 * automatic persisted queries (a Redis store) another. `exclusive` stores are the only source of documents: ad-hoc
 * query text is refused and nothing can be registered.
 */
export interface PersistedDocumentStore {
  readonly exclusive: boolean;
  /** The document text of a hash, or undefined when the store does not know it. */
  get(sha256Hash: string): string | undefined | Promise<string | undefined>;
  /**
   * Keeps a document a client sent with its hash (APQ registration); absent where nothing is registered (trusted
   * documents, GATEWAY_APQ=off). The edge calls it only for documents it admitted (parsed, validated, within limits).
   */
  register?(sha256Hash: string, query: string): void | Promise<void>;
  /** Whether this exact text is one of the store's documents (exclusive stores accept such text without a hash). */
  hasText?(query: string): boolean;
}

export interface PersistedRequest {
  readonly query?: unknown;
  readonly extensions?: unknown;
}

export type ResolvedDocument =
  /** `register`: the hash to keep this text under once it is admitted (an APQ registration). */
  | { readonly kind: 'text'; readonly query: string; readonly fromStore: boolean; readonly register?: string }
  /** Neither a query nor a persisted query: left to the transport to report as it reports any malformed request. */
  | { readonly kind: 'none' }
  | { readonly kind: 'refused'; readonly error: AppError };

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hash a request asks for, when it carries `extensions.persistedQuery` (version 1 only, as Apollo defines it). */
function persistedHash(extensions: unknown): string | AppError | undefined {
  if (!extensions || typeof extensions !== 'object') return undefined;
  const persisted = (extensions as Record<string, unknown>)['persistedQuery'];
  if (persisted === undefined) return undefined;
  // Apollo Server answers a malformed persisted query extension with BAD_REQUEST.
  if (!persisted || typeof persisted !== 'object') return new BadRequestError('extensions.persistedQuery must be an object');
  const { version, sha256Hash } = persisted as Record<string, unknown>;
  if (version !== 1) return new BadRequestError(`persisted query version ${JSON.stringify(version)} is not supported; use 1`);
  if (typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash)) {
    return new BadRequestError('extensions.persistedQuery.sha256Hash must be 64 lowercase hexadecimal characters');
  }
  return sha256Hash;
}

/**
 * The document a request runs. With an exclusive store (trusted documents), only its documents run: by hash, or
 * by exact text; an unknown hash is PERSISTED_QUERY_NOT_FOUND and any other text FORBIDDEN. With a non-exclusive
 * store ad-hoc text runs and a hash is looked up; text sent with an unknown hash is to be registered under it once
 * admitted (`register`). Where nothing can be registered (no store, GATEWAY_APQ=off), an unknown hash alone is
 * PERSISTED_QUERY_NOT_SUPPORTED, which tells an APQ client to send text from then on (Apollo's protocol).
 */
export async function resolveDocument(store: PersistedDocumentStore | undefined, request: PersistedRequest): Promise<ResolvedDocument> {
  const hash = persistedHash(request.extensions);
  if (hash !== undefined && typeof hash !== 'string') return { kind: 'refused', error: hash };
  const text = typeof request.query === 'string' && request.query !== '' ? request.query : undefined;
  if (hash !== undefined) {
    if (text !== undefined && sha256Hex(text) !== hash) return { kind: 'refused', error: new BadRequestError('the sha256Hash does not match the query text') };
    const known = await store?.get(hash);
    if (known !== undefined) {
      if (text !== undefined && text !== known) return { kind: 'refused', error: new BadRequestError(`the query text does not match persisted query ${hash}`) };
      return { kind: 'text', query: known, fromStore: true };
    }
    if (store?.exclusive) return { kind: 'refused', error: new PersistedQueryNotFoundError(`persisted query ${hash} is not known to this gateway`) };
    if (!store?.register) {
      // The text runs (nothing is kept); a hash alone cannot.
      if (text !== undefined) return { kind: 'text', query: text, fromStore: false };
      return { kind: 'refused', error: new PersistedQueryNotSupportedError('this gateway keeps no persisted queries: send the query text') };
    }
    if (text === undefined) return { kind: 'refused', error: new PersistedQueryNotFoundError(`persisted query ${hash} is not known to this gateway`) };
    return { kind: 'text', query: text, fromStore: false, register: hash };
  }
  if (text === undefined) return { kind: 'none' };
  if (store?.exclusive && !store.hasText?.(text)) {
    return { kind: 'refused', error: new ForbiddenError('only trusted documents may run on this gateway: send a persisted query hash from its manifest') };
  }
  return { kind: 'text', query: text, fromStore: false };
}
