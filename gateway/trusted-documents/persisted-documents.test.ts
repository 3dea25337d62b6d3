import { describe, expect, it } from '@jest/globals';
import { resolveDocument, sha256Hex, type PersistedDocumentStore } from './persisted-documents';

const QUERY = '{ __typename }';
const hashOf = (text: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256Hex(text) } });

/** An automatic persisted query store (non-exclusive, registers what clients send), in memory. */
function apqStore(): PersistedDocumentStore & { readonly documents: Map<string, string> } {
  const documents = new Map<string, string>();
  return { exclusive: false, documents, get: (hash) => documents.get(hash), register: (hash, query) => void documents.set(hash, query) };
}
const trusted: PersistedDocumentStore = { exclusive: true, get: (hash) => (hash === sha256Hex(QUERY) ? QUERY : undefined), hasText: (text) => text === QUERY };

describe('resolveDocument', () => {
  it('without a store runs text, and answers a bare hash PERSISTED_QUERY_NOT_SUPPORTED so that an APQ client sends text', async () => {
    expect(await resolveDocument(undefined, { query: QUERY })).toEqual({ kind: 'text', query: QUERY, fromStore: false });
    const bare = await resolveDocument(undefined, { extensions: hashOf(QUERY) });
    expect(bare.kind === 'refused' && bare.error.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect(await resolveDocument(undefined, { query: QUERY, extensions: hashOf(QUERY) })).toEqual({ kind: 'text', query: QUERY, fromStore: false });
    expect(await resolveDocument(undefined, {})).toEqual({ kind: 'none' });
  });

  it('refuses a hash that does not match the text, a malformed hash and another version', async () => {
    for (const request of [
      { query: QUERY, extensions: hashOf('{ other }') },
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'XYZ' } } },
      { extensions: { persistedQuery: { version: 2, sha256Hash: sha256Hex(QUERY) } } },
      { extensions: { persistedQuery: 'yes' } },
    ]) {
      const result = await resolveDocument(undefined, request);
      expect(result.kind === 'refused' && result.error.code).toBe('BAD_REQUEST');
    }
  });

  it('with an APQ store asks for a document sent with its hash to be registered (once admitted), then serves the hash alone', async () => {
    const store = apqStore();
    const unknown = await resolveDocument(store, { extensions: hashOf(QUERY) });
    expect(unknown.kind === 'refused' && unknown.error.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await resolveDocument(store, { query: QUERY, extensions: hashOf(QUERY) })).toEqual({ kind: 'text', query: QUERY, fromStore: false, register: sha256Hex(QUERY) });
    // Registering is the edge's, after the limits and validation: resolving keeps nothing.
    expect(store.documents.size).toBe(0);
    store.documents.set(sha256Hex(QUERY), QUERY);
    expect(await resolveDocument(store, { extensions: hashOf(QUERY) })).toEqual({ kind: 'text', query: QUERY, fromStore: true });
  });

  it('with a store that registers nothing runs text sent with an unknown hash, and answers the hash alone PERSISTED_QUERY_NOT_SUPPORTED', async () => {
    const manifestOnly: PersistedDocumentStore = { exclusive: false, get: () => undefined };
    expect(await resolveDocument(manifestOnly, { query: QUERY, extensions: hashOf(QUERY) })).toEqual({ kind: 'text', query: QUERY, fromStore: false });
    const bare = await resolveDocument(manifestOnly, { extensions: hashOf(QUERY) });
    expect(bare.kind === 'refused' && bare.error.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });

  it('with trusted documents runs only theirs and registers nothing', async () => {
    expect(await resolveDocument(trusted, { extensions: hashOf(QUERY) })).toEqual({ kind: 'text', query: QUERY, fromStore: true });
    expect(await resolveDocument(trusted, { query: QUERY })).toEqual({ kind: 'text', query: QUERY, fromStore: false });
    const adHoc = await resolveDocument(trusted, { query: '{ other }' });
    expect(adHoc.kind === 'refused' && adHoc.error.code).toBe('FORBIDDEN');
    const unknown = await resolveDocument(trusted, { query: '{ other }', extensions: hashOf('{ other }') });
    expect(unknown.kind === 'refused' && unknown.error.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
