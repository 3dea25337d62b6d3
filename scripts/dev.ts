/**
 * `npm start`: the whole system on one machine, no cloud account needed: the local servers
 * (scripts/local-infrastructure.ts: DynamoDB Local, redis-server, the Stripe emulator, maildev), then the services
 * in this process (scripts/dev-services.ts: the storefront's build, tables, demo products on first run, the
 * subgraphs, the Notifications worker and the gateway) and the banner with their URLs. `npm run dev` runs the same
 * pieces with the services in a child it restarts on change (scripts/dev-watch.ts).
 * Ctrl-C (SIGINT) or SIGTERM stops everything it started, the Java, Redis and maildev children included.
 */
import { loadConfig } from '../lib/config';
import { runDevProcess } from './dev-process';
import { devBanner, startDevServices } from './dev-services';
import { startLocalInfrastructure } from './local-infrastructure';
import { recordLocalEndpoints } from './local-endpoints';

runDevProcess('dev', async ({ config, logger, keep }) => {
  const infrastructure = await startLocalInfrastructure(config, logger);
  keep(infrastructure);
  const wired = loadConfig({ ...process.env, ...infrastructure.env });
  keep(recordLocalEndpoints(wired));
  const running = await startDevServices({ config: wired, logger, keep });
  infrastructure.stripe?.connect(running.urls.payments);
  console.log(devBanner(wired, running, { notes: infrastructure.notes, inbox: infrastructure.inbox, stripeEmulator: infrastructure.stripe?.emulator.url }));
});
