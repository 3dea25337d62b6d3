/**
 * `npm run test:faults`: the fault and soak tests (test/faults): a dependency stopped, stalled or crashing under
 * hundreds of orders, duplicate and forged deliveries. Slow by nature (they hold outages for seconds), so they run
 * apart from `npm test`, with the same DynamoDB Local, redis-server and transform.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  testPathIgnorePatterns: base.testPathIgnorePatterns.filter((pattern) => pattern !== '<rootDir>/test/faults/'),
};
