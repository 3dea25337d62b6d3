/**
 * `npm run test:faults`: the fault and soak tests (test/faults): a dependency stopped, stalled or crashing under
 * hundreds of orders, duplicate and forged deliveries. Slow by nature (they hold outages for seconds), so they run
 * apart from `npm test`, with the same DynamoDB Local, redis-server and transform.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  // One suite at a time: each holds outages and kills processes against deadlines, and two at once on a small
  // machine measure each other's load rather than the system's recovery.
  maxWorkers: 1,
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  testPathIgnorePatterns: base.testPathIgnorePatterns.filter((pattern) => pattern !== '<rootDir>/test/faults/'),
};
