/** Time is a dependency: domain code receives "now" instead of reading the system clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
