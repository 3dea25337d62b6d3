/**
 * `npm run rewards:expire`: expires points issued more than 12 months ago and not yet spent (first in, first
 * out), writing a ledger entry and a `reward.expired` event per account. Safe to run at any time: nothing
 * expires twice. Against the tables of a running `npm start`, or DYNAMODB_ENDPOINT / AWS when set.
 */
import { ConfigError, loadConfig } from '../lib/config';
import { createServiceRuntime } from '../lib/runtime';
import { expirePoints } from '../subgraphs/rewards/application/expire-points';
import { rewardsModule } from '../subgraphs/rewards/service';
import { localEndpointsEnv } from './local-endpoints';

async function main(): Promise<void> {
  let config;
  try {
    // Against `npm start`'s data by default; against AWS, set NODE_ENV=production and the secrets as the services have them.
    config = loadConfig({ NODE_ENV: 'development', ...localEndpointsEnv(), ...process.env });
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
  const runtime = createServiceRuntime(config, 'rewards-expiry');
  const { deps } = rewardsModule(runtime);
  const report = await expirePoints(deps);
  runtime.logger.info(report, 'reward points expiry finished');
  console.log(`checked ${report.accountsChecked} accounts, expired ${report.pointsExpired} points in ${report.accountsExpired} of them`);
  runtime.dynamo.client.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
