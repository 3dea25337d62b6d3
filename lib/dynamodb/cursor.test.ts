import { describe, expect, it } from '@jest/globals';
import { ErrorCode, ValidationError } from '../ddd';
import { cursor } from './cursor';

const expected = { attributes: ['pk', 'sk', 'categoryKey', 'listKey'], fixed: { categoryKey: 'CATEGORY#books' } } as const;
const key = { pk: 'PRODUCT#1', sk: 'PRODUCT', categoryKey: 'CATEGORY#books', listKey: '2026-01-01T00:00:00.000Z#1' };
const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function decodeError(value: string, field?: string): ValidationError {
  try {
    cursor.decode(value, expected, field);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`cursor ${value} was accepted`);
}

describe('cursor', () => {
  it('round-trips a key through an opaque, URL-safe string', () => {
    const encoded = cursor.encode(key);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded).not.toContain('PRODUCT');
    expect(cursor.decode(encoded, expected)).toEqual(key);
  });

  it('reads a missing cursor as the start of the list', () => {
    expect(cursor.decode(undefined, expected)).toBeUndefined();
    expect(cursor.decode(null, expected)).toBeUndefined();
    expect(cursor.decode('', expected)).toBeUndefined();
  });

  it.each([
    ['characters outside base64url', '!!!not-a-cursor!!!'],
    ['base64 that is not JSON', Buffer.from('hello').toString('base64url')],
    ['a JSON array', encodeJson([key])],
    ['a JSON string', encodeJson('PRODUCT#1')],
    ['JSON null', encodeJson(null)],
    ['a missing attribute', encodeJson({ pk: key.pk, sk: key.sk, categoryKey: key.categoryKey })],
    ['an extra attribute', encodeJson({ ...key, extra: 'x' })],
    ['a number where a string belongs', encodeJson({ ...key, listKey: 5 })],
    ['an empty key value', encodeJson({ ...key, pk: '' })],
    ['a key value over 1024 bytes', encodeJson({ ...key, listKey: 'x'.repeat(1025) })],
    ['a key in another partition', encodeJson({ ...key, categoryKey: 'CATEGORY#toys' })],
    ['more than 2048 characters', 'A'.repeat(2049)],
  ])('rejects %s with BAD_USER_INPUT naming the field and the value', (_label, value) => {
    const error = decodeError(value);
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.field).toBe('after');
    expect(error.message).toBe(`after is not a valid cursor: pass the endCursor of a previous page, got ${JSON.stringify(value.slice(0, 60))}`);
  });

  it('names the argument it decodes', () => {
    expect(decodeError('***', 'before').message).toMatch(/^before is not a valid cursor/);
  });
});
