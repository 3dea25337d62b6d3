import { createHash } from 'node:crypto';
import { ForbiddenError, PersistedQueryNotFoundError, ValidationError, type AppError } from '../../lib/ddd';

/**
 * Where the gateway finds documents sent by hash (`extensions.persistedQuery.sha256Hash`, the APQ wire format that
 * Apollo Client's persisted-queries link sends), on every transport. A trusted-documents manifest is one store;
 * automatic persisted queries (a Redis store) would be another. `exclusive` stores are the only source of documents:
 * ad-hoc query text is refused and nothing can be registered.
 */
export interface PersistedDocumentStore {
  readonly exclusive: boolean;
  /** The document text of a hash, or undefined when the store does not know it. */
  get(sha256Hash: string): string | undefined | Promise<string | undefined>;
  /** Keeps a document a client sent with its hash (APQ registration). Exclusive stores have none. */
  register?(sha256Hash: string, query: string): void | Promise<void>;
  /** Whether this exact text is one of the store's documents (exclusive stores accept such text without a hash). */
  hasText?(query: string): boolean;
}

export interface PersistedRequest {
  readonly query?: unknown;
  readonly extensions?: unknown;
}

export type ResolvedDocument =
  | { readonly kind: 'text'; readonly query: string; readonly fromStore: boolean }
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
  if (!persisted || typeof persisted !== 'object') return new ValidationError('extensions.persistedQuery', 'extensions.persistedQuery must be an object');
  const { version, sha256Hash } = persisted as Record<string, unknown>;
  if (version !== 1) return new ValidationError('extensions.persistedQuery.version', `persisted query version ${JSON.stringify(version)} is not supported; use 1`);
  if (typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash)) {
    return new ValidationError('extensions.persistedQuery.sha256Hash', 'extensions.persistedQuery.sha256Hash must be 64 lowercase hexadecimal characters');
  }
  return sha256Hash;
}

/**
 * The document a request runs. With an exclusive store (trusted documents), only its documents run: by hash, or
 * by exact text; an unknown hash is PERSISTED_QUERY_NOT_FOUND and any other text FORBIDDEN. Without a store, or
 * with a non-exclusive one, ad-hoc text runs and a hash is looked up (and registered when the text comes with it).
 */
export async function resolveDocument(store: PersistedDocumentStore | undefined, request: PersistedRequest): Promise<ResolvedDocument> {
  const hash = persistedHash(request.extensions);
  if (hash !== undefined && typeof hash !== 'string') return { kind: 'refused', error: hash };
  const text = typeof request.query === 'string' && request.query !== '' ? request.query : undefined;
  if (hash !== undefined) {
    if (text !== undefined && sha256Hex(text) !== hash) {
      return { kind: 'refused', error: new ValidationError('extensions.persistedQuery.sha256Hash', 'the sha256Hash does not match the query text') };
    }
    // No store: the APQ answer that makes Apollo Client's persisted-queries link send the text, which then runs.
    if (!store) {
      return text === undefined ? { kind: 'refused', error: new PersistedQueryNotFoundError('this gateway keeps no persisted queries: send the query text') } : { kind: 'text', query: text, fromStore: false };
    }
    const known = await store.get(hash);
    if (known !== undefined) {
      if (text !== undefined && text !== known) return { kind: 'refused', error: new ValidationError('query', `the query text does not match persisted query ${hash}`) };
      return { kind: 'text', query: known, fromStore: true };
    }
    if (store.exclusive || text === undefined || !store.register) {
      return { kind: 'refused', error: new PersistedQueryNotFoundError(`persisted query ${hash} is not known to this gateway`) };
    }
    await store.register(hash, text);
    return { kind: 'text', query: text, fromStore: false };
  }
  if (text === undefined) return { kind: 'none' };
  if (store?.exclusive && !store.hasText?.(text)) {
    return { kind: 'refused', error: new ForbiddenError('only trusted documents may run on this gateway: send a persisted query hash from its manifest') };
  }
  return { kind: 'text', query: text, fromStore: false };
}
