import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { ConfigError } from '../../lib/config';
import { sha256Hex, type PersistedDocumentStore } from './persisted-documents';

/** Apollo's persisted query manifest (what @apollo/generate-persisted-query-manifest writes). */
const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/, 'must be the sha256 of the body in lowercase hexadecimal'),
      name: z.string(),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

/** The trusted documents of a manifest: the only operations the gateway runs when TRUSTED_DOCUMENTS is set. */
export class TrustedDocuments implements PersistedDocumentStore {
  readonly exclusive = true;

  private constructor(
    private readonly byHash: ReadonlyMap<string, string>,
    private readonly bodies: ReadonlySet<string>,
  ) {}

  get size(): number {
    return this.byHash.size;
  }

  get(sha256Hash: string): string | undefined {
    return this.byHash.get(sha256Hash);
  }

  hasText(query: string): boolean {
    return this.bodies.has(query);
  }

  /**
   * Reads and checks a manifest at start-up; any problem is a ConfigError naming `variable`, so the gateway refuses
   * to start rather than run without the documents it was told to trust.
   */
  static load(path: string, variable = 'TRUSTED_DOCUMENTS'): TrustedDocuments {
    const byHash = readManifest(path, variable);
    return new TrustedDocuments(byHash, new Set(byHash.values()));
  }
}

/** The documents of a persisted query manifest by hash, every id checked against its body; a ConfigError names `variable`. */
export function readManifest(path: string, variable: string): Map<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError([`${variable}: cannot read the persisted query manifest ${JSON.stringify(path)} (${reason})`]);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.slice(0, 10).map((issue) => `${variable}: ${path}: ${issue.path.join('.') || '(manifest)'}: ${issue.message}`));
  }
  const byHash = new Map<string, string>();
  const problems: string[] = [];
  parsed.data.operations.forEach((operation, index) => {
    const actual = sha256Hex(operation.body);
    if (actual !== operation.id) problems.push(`${variable}: ${path}: operations.${index} (${operation.name}): id ${operation.id} is not the sha256 of its body (${actual})`);
    byHash.set(operation.id, operation.body);
  });
  if (problems.length > 0) throw new ConfigError(problems.slice(0, 10));
  return byHash;
}
