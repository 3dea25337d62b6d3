import type { AppConfig } from '../config';
import { createDynamoClients, type DynamoClients } from '../dynamodb';
import { createLogger, type Logger } from '../logging';

/**
 * Process-level resources a composition root builds a service from. `npm start` shares one across the
 * services it runs in one process; a standalone service or a Lambda container builds its own.
 */
export interface ServiceRuntime {
  /** The service these resources are built for (catalog, orders, rewards, gateway...). */
  readonly service: string;
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly dynamo: DynamoClients;
}

export function createServiceRuntime(config: AppConfig, service: string): ServiceRuntime {
  return {
    service,
    config,
    logger: createLogger({ service, level: config.logLevel }),
    dynamo: createDynamoClients(config.dynamodb),
  };
}
