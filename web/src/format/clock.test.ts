import { describe, expect, it } from '@jest/globals';
import { formatClockTime } from './clock';

describe('formatClockTime', () => {
  it('shows hours and minutes on a 24-hour clock in the given time zone', () => {
    expect(formatClockTime('2026-01-31T13:05:59.999Z', 'UTC')).toBe('13:05');
    expect(formatClockTime('2026-01-31T13:05:00.000Z', 'Asia/Tokyo')).toBe('22:05');
    expect(formatClockTime('2026-07-01T00:30:00.000Z', 'America/New_York')).toBe('20:30');
    expect(formatClockTime('2026-01-31T23:59:00.000Z', 'Europe/Berlin')).toBe('00:59');
  });

  it('gives nothing for a value that is no date', () => {
    expect(formatClockTime('soon', 'UTC')).toBeUndefined();
  });
});
