import { describe, expect, it } from '@jest/globals';
import { cachedHealthCheck } from './health';

describe('cachedHealthCheck', () => {
  it('runs the check once per period, shares a run in progress, and reports a failure to every caller in its period', async () => {
    let now = 0;
    let runs = 0;
    let fail = false;
    const check = cachedHealthCheck(
      async () => {
        runs += 1;
        if (fail) throw new Error('down');
      },
      1000,
      () => now,
    );
    await Promise.all([check(), check(), check()]);
    expect(runs).toBe(1);
    now = 999;
    await check();
    expect(runs).toBe(1);
    now = 1000;
    fail = true;
    await expect(check()).rejects.toThrow('down');
    await expect(check()).rejects.toThrow('down');
    expect(runs).toBe(2);
    now = 2000;
    fail = false;
    await check();
    expect(runs).toBe(3);
  });
});
