import { existsSync } from 'node:fs';
import { readManifest } from './manifest';
import type { PersistedDocumentStore } from './persisted-documents';

/**
 * The documents a gateway knows by hash when it does not enforce trusted documents: the manifest of the storefront
 * it serves (web/persisted-query-manifest.json, so the storefront's requests by hash run at once instead of being
 * bounced to register first), then whatever clients registered through automatic persisted queries. Ad-hoc text
 * still runs: nothing here is exclusive.
 */
export class KnownDocuments implements PersistedDocumentStore {
  readonly exclusive = false;
  /** Present only with automatic persisted queries: without them, nothing is registered. */
  readonly register: PersistedDocumentStore['register'];

  constructor(
    private readonly manifest: ReadonlyMap<string, string>,
    private readonly registered: PersistedDocumentStore | undefined,
  ) {
    const register = registered?.register?.bind(registered);
    this.register = register ? (sha256Hash, query) => register(sha256Hash, query) : undefined;
  }

  /** The storefront's manifest when its build is there (a gateway deployed without the storefront has none). */
  static withManifestAt(path: string, registered: PersistedDocumentStore | undefined): KnownDocuments {
    return new KnownDocuments(existsSync(path) ? readManifest(path, 'the storefront manifest') : new Map(), registered);
  }

  async get(sha256Hash: string): Promise<string | undefined> {
    return this.manifest.get(sha256Hash) ?? (await this.registered?.get(sha256Hash));
  }
}
