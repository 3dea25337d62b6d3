import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { testDynamoEndpoint } from '../../../test/support/services';
import { rewardsHarness, type RewardsHarness } from '../test-support/rewards-harness';
import { expirePoints, expiryCutoff } from './expire-points';
import { issueRewardForCompletedOrder } from './issue-order-reward';
import { redeemPoints } from './redeem-points';

/** Points issued more than 12 months ago and not yet spent expire, first in first out, with a fake clock. */

const harnesses: RewardsHarness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});
async function harness(label: string): Promise<RewardsHarness> {
  const h = await rewardsHarness(label);
  harnesses.push(h);
  return h;
}

let counter = 0;
const unique = (kind: string) => `${kind}-${(counter += 1)}`;

async function issueAt(h: RewardsHarness, when: Date | string, customerId: string, points: number): Promise<void> {
  h.clock.set(when);
  const outcome = await issueRewardForCompletedOrder(
    h.deps,
    { orderId: unique('order'), customerId, total: { amount: points * 100, currency: 'USD' } },
    { consumer: 'rewards', eventId: unique('event') },
  );
  expect(outcome).toBe('issued');
}

async function redeemAt(h: RewardsHarness, when: Date | string, customerId: string, points: number): Promise<void> {
  h.clock.set(when);
  await redeemPoints(h.deps, { sub: customerId, roles: [] }, points);
}

const balanceOf = async (h: RewardsHarness, customerId: string) => (await h.repository.findAccount(customerId))?.balance;

describe('expiryCutoff', () => {
  it('is the same instant twelve months earlier', () => {
    expect(expiryCutoff(new Date('2027-03-01T10:00:00.000Z')).toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(expiryCutoff(new Date('2027-01-15T00:00:00.001Z')).toISOString()).toBe('2026-01-15T00:00:00.001Z');
  });
});

describe('expirePoints', () => {
  it('expires the unspent points issued more than 12 months ago, oldest spent first, and nothing twice', async () => {
    const h = await harness('expire');
    const spender = unique('customer');
    const recentOnly = unique('customer');
    const spentAll = unique('customer');
    // spender: 100 (Jan 2025), 30 redeemed (Feb 2025, so taken from those 100), 50 more (Sep 2025).
    await issueAt(h, '2025-01-10T09:00:00.000Z', spender, 100);
    await redeemAt(h, '2025-02-01T09:00:00.000Z', spender, 30);
    await issueAt(h, '2025-09-01T09:00:00.000Z', spender, 50);
    // recentOnly: everything within the last 12 months.
    await issueAt(h, '2025-06-01T09:00:00.000Z', recentOnly, 40);
    // spentAll: its old points were all redeemed.
    await issueAt(h, '2024-12-01T09:00:00.000Z', spentAll, 60);
    await redeemAt(h, '2025-01-05T09:00:00.000Z', spentAll, 60);

    h.clock.set('2026-02-01T00:00:00.000Z');
    const report = await expirePoints(h.deps);

    expect(report).toEqual({ accountsChecked: 3, accountsExpired: 1, pointsExpired: 70 });
    expect((await h.repository.findAccount(spender))?.snapshot()).toMatchObject({ balance: 50, lifetimePoints: 150, redeemedPoints: 30, expiredPoints: 70 });
    expect(await balanceOf(h, recentOnly)).toBe(40);
    expect(await balanceOf(h, spentAll)).toBe(0);
    const [latest] = await h.ledger(spender);
    expect(latest).toMatchObject({ type: 'EXPIRED', points: 70, orderId: undefined, occurredAt: new Date('2026-02-01T00:00:00.000Z') });
    const expired = (await h.pendingEvents()).filter((e) => e.type === 'reward.expired');
    expect(expired.map((e) => e.data)).toEqual([{ customerId: spender, points: 70, balance: 50 }]);

    // Run again at once: nothing more is old enough.
    expect(await expirePoints(h.deps)).toEqual({ accountsChecked: 3, accountsExpired: 0, pointsExpired: 0 });
    expect(await balanceOf(h, spender)).toBe(50);

    // Seven months later the September and June points are old too.
    h.clock.set('2026-09-02T00:00:00.000Z');
    expect(await expirePoints(h.deps)).toEqual({ accountsChecked: 3, accountsExpired: 2, pointsExpired: 90 });
    expect(await balanceOf(h, spender)).toBe(0);
    expect(await balanceOf(h, recentOnly)).toBe(0);
    expect((await h.ledger(spender)).filter((t) => t.type === 'EXPIRED').map((t) => t.points)).toEqual([50, 70]);
    expect((await h.pendingEvents()).filter((e) => e.type === 'reward.expired')).toHaveLength(3);
  });

  it('keeps points issued exactly 12 months ago (only "more than 12 months" expire)', async () => {
    const h = await harness('expire-edge');
    const customerId = unique('customer');
    await issueAt(h, '2025-03-01T10:00:00.000Z', customerId, 25);
    h.clock.set('2026-03-01T10:00:00.000Z');
    expect(await expirePoints(h.deps)).toEqual({ accountsChecked: 1, accountsExpired: 0, pointsExpired: 0 });
    h.clock.set('2026-03-01T10:00:00.001Z');
    expect(await expirePoints(h.deps)).toEqual({ accountsChecked: 1, accountsExpired: 1, pointsExpired: 25 });
  });

  it('walks every account across pages of 100', async () => {
    const h = await harness('expire-many');
    const customers = Array.from({ length: 103 }, () => unique('customer'));
    h.clock.set('2024-06-01T00:00:00.000Z');
    for (let i = 0; i < customers.length; i += 20) {
      await Promise.all(
        customers.slice(i, i + 20).map((customerId) =>
          issueRewardForCompletedOrder(h.deps, { orderId: unique('order'), customerId, total: { amount: 300, currency: 'USD' } }, { consumer: 'rewards', eventId: unique('event') }),
        ),
      );
    }
    h.clock.set('2026-01-01T00:00:00.000Z');
    expect(await expirePoints(h.deps)).toEqual({ accountsChecked: 103, accountsExpired: 103, pointsExpired: 309 });
  });
});

describe('npm run rewards:expire', () => {
  it('expires old points in the tables it is pointed at, as a real child process', async () => {
    const h = await harness('expire-cli');
    // The job runs on the system clock: points become old by being issued in the past.
    const now = Date.now();
    const monthsAgo = (months: number) => new Date(now - months * 30.5 * 86_400_000);
    const holder = unique('customer');
    const newcomer = unique('customer');
    await issueAt(h, monthsAgo(14), holder, 100);
    await redeemAt(h, monthsAgo(13), holder, 30);
    await issueAt(h, monthsAgo(1), holder, 50);
    await issueAt(h, monthsAgo(2), newcomer, 40);

    const dataDir = mkdtempSync(join(tmpdir(), 'rewards-expire-'));
    try {
      const result = await runNpm(['run', '--silent', 'rewards:expire'], {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DYNAMODB_ENDPOINT: testDynamoEndpoint(),
        TABLE_PREFIX: h.tablePrefix,
        DATA_DIR: dataDir,
      });
      // stderr rides along so a failure shows why the job failed.
      expect({ code: result.code, stdout: result.stdout.trim(), stderr: result.code === 0 ? '' : result.stderr }).toEqual({
        code: 0,
        stdout: 'checked 2 accounts, expired 70 points in 1 of them',
        stderr: '',
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }

    expect((await h.repository.findAccount(holder))?.snapshot()).toMatchObject({ balance: 50, expiredPoints: 70 });
    expect(await balanceOf(h, newcomer)).toBe(40);
    const expired = (await h.pendingEvents()).filter((e) => e.type === 'reward.expired');
    // Left in the outbox for a running system's relay sweep to publish.
    expect(expired.map((e) => e.data)).toEqual([{ customerId: holder, points: 70, balance: 50 }]);
  });
});

function runNpm(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npm', args, { cwd: resolve(__dirname, '../../..'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
