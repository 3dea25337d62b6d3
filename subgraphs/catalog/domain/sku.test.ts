import { describe, expect, it } from '@jest/globals';
import { ErrorCode, ValidationError } from '../../../lib/ddd';
import { Sku } from './sku';

describe('Sku', () => {
  it.each(['ABC', 'A-1', '123', 'ELEC-HEADPHONES-01', 'X'.repeat(64)])('accepts %p', (value) => {
    expect(Sku.of(value).value).toBe(value);
    expect(String(Sku.of(value))).toBe(value);
  });

  it.each(['AB', 'X'.repeat(65), 'abc', 'Abc-1', 'AB_1', 'AB 1', ' ABC', 'ABC\n', '', 'ÄBC', 'AB.C'])(
    'rejects %p with BAD_USER_INPUT naming the field and the value',
    (value) => {
      let thrown: unknown;
      try {
        Sku.of(value);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      const error = thrown as ValidationError;
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.field).toBe('sku');
      expect(error.message).toContain('sku must be upper-case letters, digits and dashes, 3-64 characters, got ');
      expect(error.message).toContain(JSON.stringify(value).slice(0, 40));
    },
  );

  it('names the field it was given', () => {
    expect(() => Sku.of('x', 'input.sku')).toThrow(/^input\.sku must be/);
  });
});
