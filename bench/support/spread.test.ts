import { describe, expect, it } from '@jest/globals';
import { spreadOf, spreadPercent } from './spread';

describe('spreadOf', () => {
  it('gives the min, the middle value and the max of an odd count, in any order', () => {
    expect(spreadOf([30, 10, 20])).toEqual({ min: 10, median: 20, max: 30 });
  });

  it('gives the mean of the middle two of an even count', () => {
    expect(spreadOf([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
  });

  it('is NaN throughout without values', () => {
    expect(spreadOf([])).toEqual({ min: Number.NaN, median: Number.NaN, max: Number.NaN });
  });

  it('states the spread as (max - min) / median', () => {
    expect(spreadPercent({ min: 90, median: 100, max: 120 })).toBe(30);
    expect(spreadPercent({ min: 0, median: 0, max: 0 })).toBeNaN();
  });
});
