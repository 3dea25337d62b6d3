import { describe, expect, it } from '@jest/globals';
import { ErrorCode, InvalidOrderTransitionError } from '../../../lib/ddd';
import { assertTransition, canTransition, type OrderStatus } from './order-status';

const STATUSES: readonly OrderStatus[] = ['PENDING', 'CONFIRMED', 'SHIPPED', 'COMPLETED', 'CANCELLED'];

/** docs/architecture.md §2: PENDING -> CONFIRMED -> SHIPPED -> COMPLETED; CONFIRMED -> COMPLETED; PENDING|CONFIRMED -> CANCELLED; nothing else. */
const ALLOWED = new Set(['PENDING->CONFIRMED', 'PENDING->CANCELLED', 'CONFIRMED->SHIPPED', 'CONFIRMED->COMPLETED', 'CONFIRMED->CANCELLED', 'SHIPPED->COMPLETED']);

const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));

describe('OrderStatus transitions', () => {
  it.each(pairs)('%s -> %s is allowed exactly when docs/architecture.md §2 says so', (from, to) => {
    expect(canTransition(from, to)).toBe(ALLOWED.has(`${from}->${to}`));
  });

  it.each(pairs.filter(([from, to]) => !ALLOWED.has(`${from}->${to}`)))(
    'refuses %s -> %s with INVALID_ORDER_TRANSITION naming both states',
    (from, to) => {
      let thrown: unknown;
      try {
        assertTransition('order-1', from, to);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidOrderTransitionError);
      const error = thrown as InvalidOrderTransitionError;
      expect(error.code).toBe(ErrorCode.INVALID_ORDER_TRANSITION);
      expect(error.message).toMatch(new RegExp(`^order order-1 cannot go from ${from} to ${to} `));
      expect(error.details).toEqual({ orderId: 'order-1', from, to });
    },
  );

  it('says where a state can go, or that it is final', () => {
    expect(() => assertTransition('o', 'PENDING', 'COMPLETED')).toThrow('order o cannot go from PENDING to COMPLETED (from PENDING it can go to CONFIRMED or CANCELLED)');
    expect(() => assertTransition('o', 'CONFIRMED', 'PENDING')).toThrow('order o cannot go from CONFIRMED to PENDING (from CONFIRMED it can go to SHIPPED or COMPLETED or CANCELLED)');
    expect(() => assertTransition('o', 'SHIPPED', 'CANCELLED')).toThrow('order o cannot go from SHIPPED to CANCELLED (from SHIPPED it can go to COMPLETED)');
    expect(() => assertTransition('o', 'COMPLETED', 'CANCELLED')).toThrow('order o cannot go from COMPLETED to CANCELLED (COMPLETED is final)');
    expect(() => assertTransition('o', 'CANCELLED', 'CONFIRMED')).toThrow('order o cannot go from CANCELLED to CONFIRMED (CANCELLED is final)');
  });

  it.each([...ALLOWED].map((pair) => pair.split('->') as [OrderStatus, OrderStatus]))('lets %s -> %s through', (from, to) => {
    expect(() => assertTransition('o', from, to)).not.toThrow();
  });
});
