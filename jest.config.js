/**
 * `npm test`: every test but the slow fault and soak tests under test/faults, which `npm run test:faults` runs
 * (jest.faults.config.js) with the same set-up; CI runs both.
 * Tests are transpiled by SWC (no type-checking: `npm run typecheck` does that once, fast).
 * One DynamoDB Local and one redis-server serve the whole run (test/support/global-setup.ts);
 * each test file isolates itself with its own table names and key prefixes.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/infra/cdk.out/', '/.data/', '<rootDir>/web/dist', '<rootDir>/test/faults/'],
  modulePathIgnorePatterns: ['<rootDir>/infra/cdk.out/', '<rootDir>/.data/', '<rootDir>/web/dist'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // jose ships ESM only; everything else in node_modules is CommonJS already.
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/env.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
