/**
 * The environment of a whole system started for a test or a benchmark: every port 0 (free ports), loopback only,
 * its own tables and Redis namespace under `tablePrefix`, fixed secrets. `overrides` win.
 */
export function ephemeralSystemEnv(options: {
  readonly dynamoEndpoint: string;
  readonly tablePrefix: string;
  readonly jwtSecret: string;
  readonly signingSecret: string;
  readonly eventSigningSecret: string;
  readonly nodeEnv?: string;
  readonly overrides?: Readonly<Record<string, string>>;
}): Record<string, string> {
  return {
    NODE_ENV: options.nodeEnv ?? 'test',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
    HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    CATALOG_PORT: '0',
    ORDERS_PORT: '0',
    REWARDS_PORT: '0',
    PAYMENTS_PORT: '0',
    SHIPPING_PORT: '0',
    NOTIFICATIONS_PORT: '0',
    DYNAMODB_ENDPOINT: options.dynamoEndpoint,
    TABLE_PREFIX: options.tablePrefix,
    JWT_SECRET: options.jwtSecret,
    GATEWAY_SIGNING_SECRET: options.signingSecret,
    EVENT_SIGNING_SECRET: options.eventSigningSecret,
    EVENT_BUS: 'memory',
    ...options.overrides,
  };
}
