/**
 * Runs one part of the system in this process, the way containers do (docker-compose, the gateway on ECS):
 *   node --import tsx scripts/run-service.ts <catalog|orders|rewards|notifications|gateway>
 *   node --import tsx scripts/run-service.ts seed      (adds the demo products that are missing, then exits)
 * With tracing (OTEL_EXPORTER_OTLP_ENDPOINT), preload the SDK before this module so its instrumentations see
 * every module load: `node --import tsx --import ./lib/telemetry/register.ts scripts/run-service.ts <part>`
 * (the container image does the same with its bundles).
 * Configuration comes from the environment (docs/architecture.md §5), secrets optionally from Secrets Manager through
 * JWT_SECRET_ARN / GATEWAY_SIGNING_SECRET_ARN. With a local DYNAMODB_ENDPOINT the context's table is created
 * when missing. SIGINT / SIGTERM stop it gracefully.
 */
import { resolveSecretVariables } from '../lib/aws/secrets';
import { ConfigError, loadConfig, type AppConfig } from '../lib/config';
import { createLogger, disableImplicitContext } from '../lib/logging';
import { isClusterWorker, runGatewayCluster } from '../gateway/cluster';
import { createServiceRuntime } from '../lib/runtime';
import { shutdownTelemetry } from '../lib/telemetry';
import { catalogModule } from '../subgraphs/catalog/service';
import { seedDemoProducts } from './seed';
import { createSystemEventBus, ensureTables, startCatalogNode, startGatewayInstance, startNotificationsNode, startOrdersNode, startRewardsNode } from './system';

const PARTS = ['catalog', 'orders', 'rewards', 'notifications', 'gateway', 'seed'] as const;
type Part = (typeof PARTS)[number];

async function main(): Promise<void> {
  const part = process.argv[2] as Part | undefined;
  if (!part || !PARTS.includes(part)) {
    console.error(`usage: run-service.ts <${PARTS.join('|')}>`);
    process.exit(2);
  }
  let config: AppConfig;
  try {
    config = loadConfig(await resolveSecretVariables(process.env), { verifiesTokens: part === 'gateway' });
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
  const logger = createLogger({ service: part, level: config.logLevel });
  if (part === 'seed') {
    // Products are written with their events in the outbox; the catalog's relay sweep publishes them.
    const runtime = createServiceRuntime(config, 'catalog');
    if (config.dynamodb.endpoint) await ensureTables(runtime, ['catalog']);
    const created = await seedDemoProducts(catalogModule(runtime).deps);
    logger.info({ created }, 'demo products seeded');
    await shutdownTelemetry();
    return;
  }
  if (config.dynamodb.endpoint && part !== 'gateway') await ensureTables(createServiceRuntime(config, part), [part]);
  if (part === 'gateway' && config.gatewayPerformance.leanHttp) disableImplicitContext();
  if (part === 'gateway' && config.gatewayPerformance.workers > 1 && !isClusterWorker()) {
    const cluster = await runGatewayCluster({ workers: config.gatewayPerformance.workers, logger });
    logger.info({ workers: config.gatewayPerformance.workers, pid: process.pid }, 'gateway workers are listening');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void cluster.stop().then(() => process.exit(0));
      });
    }
    return;
  }

  const bus = createSystemEventBus(config, logger);
  const running =
    part === 'catalog'
      ? await startCatalogNode(config, bus)
      : part === 'orders'
        ? await startOrdersNode(config, bus)
        : part === 'rewards'
          ? await startRewardsNode(config, bus)
          : part === 'notifications'
            ? await startNotificationsNode(config, bus)
            : await startGatewayInstance(config, bus);
  logger.info({ url: running.http.url }, `${part} is listening`);

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      logger.info({ signal }, 'stopping');
      void running
        .stopAll()
        .then(() => bus.close())
        .then(() => shutdownTelemetry())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'error while stopping');
            process.exit(1);
          },
        );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
