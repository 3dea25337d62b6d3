import { ValidationError } from '../ddd';

export type KeyRecord = Record<string, string>;

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
    expected: { attributes: readonly string[]; fixed?: Readonly<Record<string, string>> },
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
    if (keys.length !== expected.attributes.length || !expected.attributes.every((a) => typeof record[a] === 'string')) {
      throw invalid();
    }
    for (const [attribute, fixedValue] of Object.entries(expected.fixed ?? {})) {
      if (record[attribute] !== fixedValue) throw invalid();
    }
    return record as KeyRecord;
  },
};
