import { loadConfig } from '../../lib/config';
import { signDevToken } from '../../lib/auth';
import { ephemeralSystemEnv } from '../../scripts/ephemeral-env';
import { startSystem, type RunningSystem, type SystemOptions } from '../../scripts/system';
import { TEST_EVENT_SIGNING_SECRET } from '../../lib/events/testing/fixtures';
import { testDynamoEndpoint, uniquePrefix } from './services';

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';
export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef01234';
export { TEST_EVENT_SIGNING_SECRET } from '../../lib/events/testing/fixtures';

/**
 * Configuration for a system under test: every port 0, its own tables, the run's DynamoDB Local. Rate limits are
 * off (tests send far more from one address than a client would) except where a test turns them on. Deadlines are
 * sized for a busy shared machine, where one DynamoDB Local serves two test workers: these tests prove outcomes
 * (exactly ten of twenty redemptions succeed), not latency; the deadline tests (test/faults/dynamodb-stall) set
 * their own, and the benchmarks measure latency.
 */
export function testEnv(label: string, extra: Record<string, string> = {}): Record<string, string> {
  return ephemeralSystemEnv({
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: uniquePrefix(label),
    jwtSecret: TEST_JWT_SECRET,
    signingSecret: TEST_SIGNING_SECRET,
    eventSigningSecret: TEST_EVENT_SIGNING_SECRET,
    overrides: { RATE_LIMIT: 'off', REQUEST_TIMEOUT_MS: '45000', DYNAMODB_REQUEST_TIMEOUT_MS: '20000', ...extra },
  });
}

/**
 * A whole system for a test. Notifications is left out unless asked for (`notifications: {...}` with SMTP_URL
 * pointing at a test maildev): a test about something else has no mail server to send to.
 */
export function startTestSystem(label: string, options: SystemOptions & { env?: Record<string, string> } = {}): Promise<RunningSystem> {
  return startSystem(loadConfig(testEnv(label, options.env)), { ...options, notifications: options.notifications ?? false });
}

export function tokenFor(sub: string, options: { admin?: boolean; ttlSeconds?: number } = {}): Promise<string> {
  return signDevToken({ sub, roles: options.admin ? ['admin'] : [], ttlSeconds: options.ttlSeconds ?? 600 }, TEST_JWT_SECRET);
}
