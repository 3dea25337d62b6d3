import { describe, expect, it } from '@jest/globals';
import { isNotModified } from './conditional';

const current = { etag: '"abc123"', lastModified: new Date('2026-03-01T10:00:00.750Z') };
const lastModifiedHeader = 'Sun, 01 Mar 2026 10:00:00 GMT';

describe('isNotModified (RFC 9110 13.2.2)', () => {
  it('is false for an unconditional request', () => {
    expect(isNotModified({}, current)).toBe(false);
    expect(isNotModified({ ifNoneMatch: '', ifModifiedSince: undefined }, current)).toBe(false);
  });

  it('matches If-None-Match against the current tag, weakly, in a list, or with *', () => {
    expect(isNotModified({ ifNoneMatch: '"abc123"' }, current)).toBe(true);
    expect(isNotModified({ ifNoneMatch: 'W/"abc123"' }, current)).toBe(true);
    expect(isNotModified({ ifNoneMatch: '"old", "abc123"' }, current)).toBe(true);
    expect(isNotModified({ ifNoneMatch: '*' }, current)).toBe(true);
    expect(isNotModified({ ifNoneMatch: '"old"' }, current)).toBe(false);
    expect(isNotModified({ ifNoneMatch: 'abc123' }, current)).toBe(false);
  });

  it('compares If-Modified-Since at one-second resolution', () => {
    expect(isNotModified({ ifModifiedSince: lastModifiedHeader }, current)).toBe(true);
    expect(isNotModified({ ifModifiedSince: 'Sun, 01 Mar 2026 10:00:01 GMT' }, current)).toBe(true);
    expect(isNotModified({ ifModifiedSince: 'Sun, 01 Mar 2026 09:59:59 GMT' }, current)).toBe(false);
  });

  it('ignores an If-Modified-Since that is not a date', () => {
    expect(isNotModified({ ifModifiedSince: 'yesterday-ish' }, current)).toBe(false);
  });

  it('lets If-None-Match win over If-Modified-Since', () => {
    expect(isNotModified({ ifNoneMatch: '"old"', ifModifiedSince: lastModifiedHeader }, current)).toBe(false);
    expect(isNotModified({ ifNoneMatch: '"abc123"', ifModifiedSince: 'Sun, 01 Mar 2026 09:00:00 GMT' }, current)).toBe(true);
  });
});
