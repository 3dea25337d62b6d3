import { describe, expect, it } from '@jest/globals';
import { ErrorCode, ValidationError } from './errors';
import { MAX_PAGE_SIZE, pageRequest } from './page';

describe('pageRequest', () => {
  it('defaults first to 20 and accepts 1..100', () => {
    expect(pageRequest(undefined, undefined)).toEqual({ first: 20, after: undefined });
    expect(pageRequest(null, null)).toEqual({ first: 20, after: undefined });
    expect(pageRequest(1, 'abc')).toEqual({ first: 1, after: 'abc' });
    expect(pageRequest(MAX_PAGE_SIZE, undefined)).toEqual({ first: 100, after: undefined });
  });

  it.each([0, -1, 101, 1000, 2.5])('rejects first = %p with BAD_USER_INPUT naming the field and the value', (first) => {
    let thrown: unknown;
    try {
      pageRequest(first, undefined);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const error = thrown as ValidationError;
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.field).toBe('first');
    expect(error.message).toBe(`first must be between 1 and 100, got ${first}`);
  });
});
