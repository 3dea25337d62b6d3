import { describe, expect, it } from '@jest/globals';
import { mapLimit } from './map-limit';

describe('mapLimit', () => {
  it('keeps results in input order with never more than `concurrency` tasks in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const run = mapLimit([5, 4, 3, 2, 1], 2, async (n, index) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise<void>((release) => releases.push(release));
      inFlight -= 1;
      return `${index}:${n * 10}`;
    });
    // Release the tasks in reverse order of their start as they arrive: completion order differs from input order.
    while (releases.length > 0 || inFlight > 0) {
      await Promise.resolve();
      releases.pop()?.();
    }
    expect(await run).toEqual(['0:50', '1:40', '2:30', '3:20', '4:10']);
    expect(most).toBe(2);
  });

  it('answers an empty list with an empty list, and refuses a concurrency below 1', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    await expect(mapLimit([1], 0, async (n) => n)).rejects.toThrow('concurrency must be a positive integer, got 0');
  });

  it('rejects with the first failure', async () => {
    await expect(mapLimit([1, 2, 3], 3, async (n) => { if (n === 2) throw new Error('two failed'); return n; })).rejects.toThrow('two failed');
  });
});
