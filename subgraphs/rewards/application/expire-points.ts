import { mapLimit } from '../../../lib/async';
import { withOptimisticRetry } from '../../../lib/ddd';
import { loadAccount } from './account-access';
import { ACCOUNT_RETRY, type RewardsDependencies } from './rewards-dependencies';

export const POINTS_VALID_MONTHS = 12;
/** Accounts of a page expired at once: each is its own partition, so they do not contend. */
const ACCOUNTS_AT_ONCE = 8;

export interface ExpiryReport {
  readonly accountsChecked: number;
  readonly accountsExpired: number;
  readonly pointsExpired: number;
}

/** The instant before which issued points have expired: the same day and time, `months` months earlier. */
export function expiryCutoff(now: Date, months = POINTS_VALID_MONTHS): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

/** Expires one customer's unspent points issued before the cutoff (first in, first out). */
export function expireAccount(deps: RewardsDependencies, customerId: string, cutoff: Date): Promise<number> {
  return withOptimisticRetry(async () => {
    const account = await loadAccount(deps, customerId);
    const issuedBefore = await deps.rewards.pointsIssuedBefore(customerId, cutoff);
    const expired = account.expire(issuedBefore, deps.newId(), deps.clock.now());
    if (expired > 0) await deps.rewards.save(account);
    return expired;
  }, ACCOUNT_RETRY);
}

/** The expiry job: walks every account once. Safe to run again at any time (nothing expires twice). */
export async function expirePoints(deps: RewardsDependencies): Promise<ExpiryReport> {
  const cutoff = expiryCutoff(deps.clock.now());
  let after: string | undefined;
  let accountsChecked = 0;
  let accountsExpired = 0;
  let pointsExpired = 0;
  for (;;) {
    const page = await deps.rewards.listAccountIds({ first: 100, after });
    const expiredPerAccount = await mapLimit(page.edges, ACCOUNTS_AT_ONCE, ({ node: customerId }) => expireAccount(deps, customerId, cutoff));
    accountsChecked += page.edges.length;
    for (const expired of expiredPerAccount.filter((points) => points > 0)) {
      accountsExpired += 1;
      pointsExpired += expired;
    }
    if (!page.hasNextPage) break;
    after = page.edges.at(-1)?.cursor;
  }
  return { accountsChecked, accountsExpired, pointsExpired };
}
