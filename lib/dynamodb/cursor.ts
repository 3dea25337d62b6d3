import { ValidationError } from '../ddd';

export type KeyRecord = Record<string, string>;

/**
 * DynamoDB rejects an ExclusiveStartKey holding an empty string or a sort key over 1024 bytes with a
 * ValidationException; a cursor carrying one is malformed input, not a server failure.
 */
const MAX_KEY_VALUE_BYTES = 1024;
const isKeyValue = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && Buffer.byteLength(value, 'utf8') <= MAX_KEY_VALUE_BYTES;

/**
 * Opaque pagination cursors: the DynamoDB key to resume after, base64url-encoded. Decoding checks the shape
 * and that the key lies in the partition being queried, so a hand-made cursor can neither crash the query
 * nor move it into someone else's data.
 */
export const cursor = {
  encode(key: Record<string, string>): string {
    return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  },

  decode(
    value: string | null | undefined,
    expected: {
      attributes: readonly string[];
      /** Attributes whose value must be exactly this (the partition being queried). */
      fixed?: Readonly<Record<string, string>>;
      /** Attributes whose value must start with this (the item type within the partition). */
      prefixes?: Readonly<Record<string, string>>;
    },
    field = 'after',
  ): KeyRecord | undefined {
    if (value === null || value === undefined || value === '') return undefined;
    const invalid = () =>
      new ValidationError(field, `${field} is not a valid cursor: pass the endCursor of a previous page, got ${JSON.stringify(value.slice(0, 60))}`, {
        value: value.slice(0, 60),
      });
    if (value.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(value)) throw invalid();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
    const record = parsed as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length !== expected.attributes.length || !expected.attributes.every((a) => isKeyValue(record[a]))) {
      throw invalid();
    }
    for (const [attribute, fixedValue] of Object.entries(expected.fixed ?? {})) {
      if (record[attribute] !== fixedValue) throw invalid();
    }
    for (const [attribute, prefix] of Object.entries(expected.prefixes ?? {})) {
      if (!(record[attribute] as string).startsWith(prefix)) throw invalid();
    }
    return record as KeyRecord;
  },
};
