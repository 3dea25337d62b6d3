/**
 * Runs one part of the system in this process, the way containers do (docker-compose, the gateway on ECS):
 *   node --import tsx scripts/run-service.ts <catalog|orders|rewards|payments|shipping|notifications|gateway>
 *   node --import tsx scripts/run-service.ts seed      (adds the demo products that are missing, then exits)
 * With tracing (OTEL_EXPORTER_OTLP_ENDPOINT), preload the SDK before this module so its instrumentations see
 * every module load: `node --import tsx --import ./lib/telemetry/register.ts scripts/run-service.ts <part>`
 * (the container image does the same with its bundles).
 * Configuration comes from the environment (docs/architecture.md §5); a variable may instead be read at start-up
 * from Secrets Manager (`<NAME>_ARN`, Stripe's keys included) or SSM Parameter Store (`<NAME>_PARAMETER`) through
 * lib/aws/variable-references.ts. With a local DYNAMODB_ENDPOINT the context's table is created when missing. SIGINT / SIGTERM stop it gracefully.
 */
import { resolveVariableReferences } from '../lib/aws/variable-references';
import { ConfigError, loadConfig, type AppConfig } from '../lib/config';
import { createLogger } from '../lib/logging';
import { stopOnSignal } from '../lib/process';
import { runGatewayProcess } from '../gateway/main';
import { createServiceRuntime } from '../lib/runtime';
import { shutdownTelemetry } from '../lib/telemetry';
import { catalogModule } from '../subgraphs/catalog/service';
import { seedDemoProducts } from './seed';
import { createSystemEventBus, ensureTables, gatewayBusMetrics, startCatalogNode, startNotificationsNode, startOrdersNode, startPaymentsNode, startRewardsNode, startShippingNode } from './system';

const PARTS = ['catalog', 'orders', 'rewards', 'payments', 'shipping', 'notifications', 'gateway', 'seed'] as const;
type Part = (typeof PARTS)[number];

async function main(): Promise<void> {
  const part = process.argv[2] as Part | undefined;
  if (!part || !PARTS.includes(part)) {
    console.error(`usage: run-service.ts <${PARTS.join('|')}>`);
    process.exit(2);
  }
  let config: AppConfig;
  try {
    config = loadConfig(await resolveVariableReferences(process.env), { verifiesTokens: part === 'gateway' });
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
  // The gateway's process (cluster, graceful stop) is composed next to the gateway it runs.
  if (part === 'gateway') return runGatewayProcess(config, logger, { createBus: () => createSystemEventBus(config, logger), reportBusMetrics: gatewayBusMetrics });
  if (config.dynamodb.endpoint) await ensureTables(createServiceRuntime(config, part), [part]);

  const bus = createSystemEventBus(config, logger);
  const running =
    part === 'catalog'
      ? await startCatalogNode(config, bus)
      : part === 'orders'
        ? await startOrdersNode(config, bus)
        : part === 'rewards'
          ? await startRewardsNode(config, bus)
          : part === 'payments'
            ? await startPaymentsNode(config, bus)
            : part === 'shipping'
              ? await startShippingNode(config, bus)
              : await startNotificationsNode(config, bus);
  logger.info({ url: running.http.url }, `${part} is listening`);

  stopOnSignal(logger, async () => {
    await running.stopAll();
    await bus.close();
  });
}

main().catch((error: unknown) => {
  // A context refusing its settings at start-up (Payments without Stripe keys) says what is missing, no stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
