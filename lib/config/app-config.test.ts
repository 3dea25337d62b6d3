import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './app-config';
import { DEV_EVENT_SIGNING_SECRET, DEV_JWT_SECRET, DEV_SIGNING_SECRET } from './secrets-policy';
import { ConfigError } from './env';
import { DEV_STRIPE_SECRET_KEY, DEV_STRIPE_WEBHOOK_SECRET, requireStripeSecrets } from './stripe-config';

const STRONG_JWT = 'a-production-jwt-secret-of-at-least-32-chars';
const STRONG_SIGNING = 'a-production-signing-secret-at-least-32-chars';

function configError(source: Record<string, string>): ConfigError {
  try {
    loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  it('applies the documented defaults in development', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.nodeEnv).toBe('development');
    expect(config.production).toBe(false);
    expect(config.host).toBe('127.0.0.1');
    expect(config.eventSigningSecret).toBe(DEV_EVENT_SIGNING_SECRET);
    expect(config.signedRequestWindowSeconds).toBe(5);
    expect(config.metrics).toEqual({ port: undefined, token: undefined, onServicePort: true });
    expect(config.timeouts).toEqual({ requestMs: 10_000, dynamodbConnectionMs: 1000, dynamodbRequestMs: 3000 });
    expect(config.idempotencyKeyTtlSeconds).toBe(86_400);
    expect(config.ports).toEqual({ gateway: 4000, catalog: 4001, orders: 4002, rewards: 4003, payments: 4004, shipping: 4005, notifications: 4006 });
    expect(config.urls.catalogGraphql).toBe('http://127.0.0.1:4001/graphql');
    expect(config.urls.catalogRest).toBe('http://127.0.0.1:4001');
    expect(config.urls.shippingGraphql).toBe('http://127.0.0.1:4005/graphql');
    expect(config.urls.shipping).toBe('http://127.0.0.1:4005');
    expect(config.dynamodb).toEqual({
      endpoint: undefined,
      region: 'us-east-1',
      tables: {
        catalog: 'ecommerce-catalog',
        orders: 'ecommerce-orders',
        rewards: 'ecommerce-rewards',
        payments: 'ecommerce-payments',
        shipping: 'ecommerce-shipping',
        notifications: 'ecommerce-notifications',
      },
    });
    expect(config.eventBus).toEqual({ kind: 'memory', name: 'ecommerce' });
    expect(config.jwt.secret).toBe(DEV_JWT_SECRET);
    expect(config.gatewaySigningSecret).toBe(DEV_SIGNING_SECRET);
    expect(config.dataDir).toBe('.data');
    expect(config.queryLimits).toEqual({
      maxDepth: 16,
      maxCost: 10_000,
      maxAliases: 30,
      maxTokens: 5000,
      maxQueryLength: 50_000,
      maxDirectives: 50,
      maxRootFields: 20,
      maxDuplicateFields: 20,
      maxVariables: 50,
      maxVariablesBytes: 16_384,
    });
    expect(config.edge).toEqual({
      rateLimit: {
        enabled: true,
        points: 1200,
        anonymousPoints: 600,
        windowSeconds: 60,
        costPerPoint: 100,
        wsConnectionsPerIp: 50,
        wsSubscribesPerConnection: 60,
        wsSubscribesPerIp: 600,
        redisTimeoutMs: 250,
      },
      trustedDocuments: undefined,
      trustedProxies: [],
    });
    expect(config.jwt.maxTtlSeconds).toBe(86_400);
  });

  it('reads ports, URLs and table names from the environment', () => {
    const config = loadConfig({ NODE_ENV: 'test', GATEWAY_PORT: '0', CATALOG_PORT: '5001', TABLE_PREFIX: 'it-', REDIS_URL: 'redis://127.0.0.1:6380', DYNAMODB_ENDPOINT: 'http://localhost:8000' });
    expect(config.ports.gateway).toBe(0);
    expect(config.ports.catalog).toBe(5001);
    expect(config.urls.catalogGraphql).toBe('http://127.0.0.1:5001/graphql');
    expect(config.dynamodb.tables.catalog).toBe('it-catalog');
    expect(config.dynamodb.endpoint).toBe('http://localhost:8000');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6380');
    expect(config.eventBus.kind).toBe('redis');
  });

  it('reads Shipping’s port, table and URL; its internal commands live beside its GraphQL endpoint', () => {
    const local = loadConfig({ NODE_ENV: 'test', SHIPPING_PORT: '5005', SHIPPING_TABLE: 'shipments' });
    expect([local.ports.shipping, local.dynamodb.tables.shipping, local.urls.shippingGraphql, local.urls.shipping]).toEqual([
      5005,
      'shipments',
      'http://127.0.0.1:5005/graphql',
      'http://127.0.0.1:5005',
    ]);
    const remote = loadConfig({ NODE_ENV: 'test', SHIPPING_URL: 'https://abc.lambda-url.us-east-1.on.aws/graphql' });
    expect([remote.urls.shippingGraphql, remote.urls.shipping]).toEqual(['https://abc.lambda-url.us-east-1.on.aws/graphql', 'https://abc.lambda-url.us-east-1.on.aws']);
  });

  it.each([
    ['GATEWAY_PORT', 'abc', 'GATEWAY_PORT: must be a port number between 0 and 65535, got "abc"'],
    ['CATALOG_PORT', '70000', 'CATALOG_PORT: must be a port number between 0 and 65535, got "70000"'],
    ['ORDERS_PORT', '-1', 'ORDERS_PORT: must be a port number between 0 and 65535, got "-1"'],
    ['REWARDS_PORT', '40.5', 'REWARDS_PORT: must be a port number between 0 and 65535, got "40.5"'],
    ['SHIPPING_PORT', 'x', 'SHIPPING_PORT: must be a port number between 0 and 65535, got "x"'],
    ['REDIS_URL', 'not a url', 'REDIS_URL: must be a URL (redis or rediss), got "not a url"'],
    ['REDIS_URL', 'http://localhost:6379', 'REDIS_URL: must be a redis or rediss URL with a host, got "http://localhost:6379"'],
    ['DYNAMODB_ENDPOINT', 'localhost:8000', 'DYNAMODB_ENDPOINT: must be a http or https URL with a host, got "localhost:8000"'],
    ['EVENT_BUS', 'kafka', 'EVENT_BUS: must be one of memory, redis, eventbridge, got "kafka"'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    ['MAX_QUERY_DEPTH', '0', 'MAX_QUERY_DEPTH: must be a positive integer, got "0"'],
    ['METRICS_PORT', 'nine', 'METRICS_PORT: must be a port number between 0 and 65535, got "nine"'],
    ['REQUEST_TIMEOUT_MS', '-5', 'REQUEST_TIMEOUT_MS: must be a positive integer, got "-5"'],
    ['DYNAMODB_REQUEST_TIMEOUT_MS', '1.5', 'DYNAMODB_REQUEST_TIMEOUT_MS: must be a positive integer, got "1.5"'],
    ['IDEMPOTENCY_KEY_TTL_SECONDS', '0', 'IDEMPOTENCY_KEY_TTL_SECONDS: must be a positive integer, got "0"'],
    ['SIGNED_REQUEST_WINDOW_SECONDS', 'soon', 'SIGNED_REQUEST_WINDOW_SECONDS: must be a positive integer, got "soon"'],
  ])('stops on %s=%p with a message naming the variable', (name, value, problem) => {
    const error = configError({ NODE_ENV: 'test', [name]: value });
    expect(error.problems).toEqual([problem]);
    expect(error.message).toBe(`Invalid configuration:\n  - ${problem}`);
  });

  it('reports every bad variable at once', () => {
    const error = configError({ NODE_ENV: 'test', GATEWAY_PORT: 'abc', REDIS_URL: '::::' });
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain('GATEWAY_PORT');
    expect(error.message).toContain('REDIS_URL');
  });

  it('needs REDIS_URL for the redis event bus', () => {
    expect(configError({ NODE_ENV: 'test', EVENT_BUS: 'redis' }).problems).toEqual(['EVENT_BUS: "redis" needs REDIS_URL to be set']);
  });

  it('is silent under test unless asked otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });
});

const STRONG_EVENTS = 'a-production-event-signing-secret-32-chars';
const STRONG = { JWT_SECRET: STRONG_JWT, GATEWAY_SIGNING_SECRET: STRONG_SIGNING, EVENT_SIGNING_SECRET: STRONG_EVENTS };
const why = (nodeEnv: string | undefined) =>
  `because ${nodeEnv === undefined ? 'NODE_ENV is not set' : `NODE_ENV is ${JSON.stringify(nodeEnv)}`} (development defaults apply only with NODE_ENV=development or test)`;

describe('loadConfig outside development (fail closed)', () => {
  it.each([['production'], ['staging'], ['prod'], ['Production'], ['DEVELOPMENT'], ['dev'], [undefined]])(
    'with NODE_ENV=%p refuses to start without real secrets, naming each',
    (nodeEnv) => {
      const source: Record<string, string> = nodeEnv === undefined ? {} : { NODE_ENV: nodeEnv };
      expect(configError(source).problems).toEqual([
        `JWT_SECRET: is required ${why(nodeEnv)}; or set JWT_JWKS_URL`,
        `GATEWAY_SIGNING_SECRET: is required ${why(nodeEnv)}`,
        `EVENT_SIGNING_SECRET: is required ${why(nodeEnv)}`,
      ]);
    },
  );

  it.each([[' development'], ['development '], ['test\n'], ['\ttest'], ['development\u200b'], ['']])(
    'uses no development defaults with NODE_ENV=%j: only the exact words may, and the error says what it got',
    (nodeEnv) => {
      const error = configError({ NODE_ENV: nodeEnv });
      expect(error.problems).toEqual([
        `JWT_SECRET: is required ${why(nodeEnv)}; or set JWT_JWKS_URL`,
        `GATEWAY_SIGNING_SECRET: is required ${why(nodeEnv)}`,
        `EVENT_SIGNING_SECRET: is required ${why(nodeEnv)}`,
      ]);
      const config = loadConfig({ NODE_ENV: nodeEnv, ...STRONG });
      expect(config.production).toBe(true);
      expect(config.nodeEnv).toBe(nodeEnv);
      expect(config.logLevel).toBe('info');
    },
  );

  it('treats an unset NODE_ENV as production', () => {
    const config = loadConfig(STRONG);
    expect(config.nodeEnv).toBe('production');
    expect(config.production).toBe(true);
  });

  it.each([['development'], ['test']])('uses the development defaults only with NODE_ENV=%s', (nodeEnv) => {
    const config = loadConfig({ NODE_ENV: nodeEnv });
    expect(config.production).toBe(false);
    expect(config.jwt.secret).toBe(DEV_JWT_SECRET);
    expect(config.gatewaySigningSecret).toBe(DEV_SIGNING_SECRET);
  });

  it('refuses the development defaults', () => {
    expect(configError({ NODE_ENV: 'staging', JWT_SECRET: DEV_JWT_SECRET, GATEWAY_SIGNING_SECRET: DEV_SIGNING_SECRET, EVENT_SIGNING_SECRET: DEV_EVENT_SIGNING_SECRET }).problems).toEqual([
      `JWT_SECRET: must not be a development default ${why('staging')}`,
      `GATEWAY_SIGNING_SECRET: must not be a development default ${why('staging')}`,
      `EVENT_SIGNING_SECRET: must not be a development default ${why('staging')}`,
    ]);
  });

  it('refuses secrets shorter than 32 characters, giving the length and never the value', () => {
    const error = configError({ NODE_ENV: 'production', ...STRONG, JWT_SECRET: 'short', EVENT_SIGNING_SECRET: 'x'.repeat(31) });
    expect(error.problems).toEqual([
      `JWT_SECRET: must be at least 32 characters ${why('production')}, got 5`,
      `EVENT_SIGNING_SECRET: must be at least 32 characters ${why('production')}, got 31`,
    ]);
    expect(error.message).not.toContain('short');
  });

  it('starts with strong secrets, or with a JWKS URL instead of a JWT secret', () => {
    const config = loadConfig({ NODE_ENV: 'production', ...STRONG });
    expect(config.production).toBe(true);
    expect(config.logLevel).toBe('info');
    expect(config.jwt.secret).toBe(STRONG_JWT);
    expect(config.gatewaySigningSecret).toBe(STRONG_SIGNING);
    expect(config.eventSigningSecret).toBe(STRONG_EVENTS);
    const jwks = loadConfig({
      NODE_ENV: 'production',
      ...STRONG,
      JWT_SECRET: '',
      JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json',
      JWT_ISSUER: 'https://id.example',
      JWT_AUDIENCE: 'commerce',
    });
    expect(jwks.jwt.secret).toBeUndefined();
    expect(jwks.jwt.jwksUrl).toBe('https://id.example/.well-known/jwks.json');
  });

  it('needs no JWT secret in a process that verifies no tokens, but checks one it is given', () => {
    const subgraph = { NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: STRONG_SIGNING, EVENT_SIGNING_SECRET: STRONG_EVENTS };
    expect(loadConfig(subgraph, { verifiesTokens: false }).jwt.secret).toBeUndefined();
    expect(() => loadConfig({ ...subgraph, JWT_SECRET: DEV_JWT_SECRET }, { verifiesTokens: false })).toThrow(/JWT_SECRET: must not be a development default/);
  });

  it('binds loopback unless HOST says otherwise', () => {
    expect(loadConfig(STRONG).host).toBe('127.0.0.1');
    expect(loadConfig({ ...STRONG, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
});

describe('where /metrics is served', () => {
  it('on each service port, open, in development', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).metrics).toEqual({ port: undefined, token: undefined, onServicePort: true });
  });

  it('nowhere in production unless asked: a token keeps it on the service port, METRICS_PORT moves it', () => {
    expect(loadConfig(STRONG).metrics).toEqual({ port: undefined, token: undefined, onServicePort: false });
    const token = 'a-metrics-scrape-token-of-32-characters';
    expect(loadConfig({ ...STRONG, METRICS_TOKEN: token }).metrics).toEqual({ port: undefined, token, onServicePort: true });
    expect(loadConfig({ ...STRONG, METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, token: undefined, onServicePort: false });
  });

  it('refuses a weak metrics token in production', () => {
    expect(configError({ ...STRONG, METRICS_TOKEN: 'letmein' }).problems).toEqual([`METRICS_TOKEN: must be at least 32 characters ${why(undefined)}, got 7`]);
  });
});

describe('loadConfig: the gateway edge', () => {
  it('reads rate limits, trusted proxies, trusted documents and query limits', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      RATE_LIMIT: 'off',
      RATE_LIMIT_POINTS: '10',
      TRUSTED_PROXIES: '10.0.0.0/8, loopback',
      TRUSTED_DOCUMENTS: 'web/persisted-queries.json',
      MAX_QUERY_TOKENS: '800',
      JWT_MAX_TTL_SECONDS: '600',
    });
    expect(config.edge.rateLimit).toMatchObject({ enabled: false, points: 10 });
    expect(config.edge.trustedProxies).toEqual(['10.0.0.0/8', 'loopback']);
    expect(config.edge.trustedDocuments).toBe('web/persisted-queries.json');
    expect(config.queryLimits.maxTokens).toBe(800);
    expect(config.jwt.maxTtlSeconds).toBe(600);
  });

  it.each([
    ['RATE_LIMIT', 'sometimes', 'RATE_LIMIT: must be one of on, off, got "sometimes"'],
    ['TRUSTED_PROXIES', 'not-an-address', /^TRUSTED_PROXIES: must be a comma-separated list of IP addresses, CIDR ranges/],
    ['MAX_QUERY_COST', '-5', 'MAX_QUERY_COST: must be a positive integer, got "-5"'],
    ['JWT_MAX_TTL_SECONDS', 'forever', 'JWT_MAX_TTL_SECONDS: must be a positive integer, got "forever"'],
  ])('refuses a bad %s naming it', (variable, value, problem) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(typeof problem === 'string' ? `^${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : problem)]);
  });
});

describe('CORS_ORIGINS', () => {
  const production = { NODE_ENV: 'production', ...STRONG };

  it('defaults to any origin in development and test, and to none elsewhere', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).corsOrigins).toBe('*');
    expect(loadConfig({ NODE_ENV: 'test' }).corsOrigins).toBe('*');
    expect(loadConfig(production).corsOrigins).toEqual([]);
    expect(loadConfig({ ...STRONG, NODE_ENV: 'staging' }).corsOrigins).toEqual([]);
    expect(loadConfig({ ...STRONG }).corsOrigins).toEqual([]);
  });

  it('takes * or a comma list of origins', () => {
    expect(loadConfig({ ...production, CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(loadConfig({ ...production, CORS_ORIGINS: 'https://shop.example.com, http://localhost:5173/' }).corsOrigins).toEqual([
      'https://shop.example.com',
      'http://localhost:5173',
    ]);
  });

  it('refuses an entry that is not an origin, naming it', () => {
    expect(configError({ NODE_ENV: 'test', CORS_ORIGINS: 'https://shop.example.com/path,shop.example.com' }).problems).toEqual([
      'CORS_ORIGINS: each entry must be * or an origin such as https://shop.example.com (scheme, host, optional port; no path), got "https://shop.example.com/path"',
      'CORS_ORIGINS: each entry must be * or an origin such as https://shop.example.com (scheme, host, optional port; no path), got "shop.example.com"',
    ]);
  });
});

describe('DYNAMODB_PORT and REDIS_PORT', () => {
  it('are unset by default (npm start picks) and read as ports when set', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).localPorts).toEqual({ dynamodb: undefined, redis: undefined, stripeEmulator: 12111 });
    expect(loadConfig({ NODE_ENV: 'development', DYNAMODB_PORT: '8100', REDIS_PORT: '0', STRIPE_EMULATOR_PORT: '0' }).localPorts).toEqual({ dynamodb: 8100, redis: 0, stripeEmulator: 0 });
    expect(configError({ NODE_ENV: 'development', DYNAMODB_PORT: 'eight', REDIS_PORT: '70000' }).problems).toEqual([
      'DYNAMODB_PORT: must be a port number between 0 and 65535, got "eight"',
      'REDIS_PORT: must be a port number between 0 and 65535, got "70000"',
    ]);
  });
});

describe('checkout settings', () => {
  it('apply the documented defaults: a 15-minute payment deadline, 5 unpaid orders and 100 held units per customer', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.payments).toEqual({ timeoutSeconds: 900, deadlineSweepIntervalMs: 30_000 });
    expect(config.customerLimits).toEqual({ maxPendingOrders: 5, maxHeldUnits: 100 });
    expect(config.urls.paymentsGraphql).toBe('http://127.0.0.1:4004/graphql');
    expect([config.urls.orders, config.urls.payments]).toEqual(['http://127.0.0.1:4002', 'http://127.0.0.1:4004']);
  });

  it('derive the internal API base from a subgraph URL behind a path prefix', () => {
    const config = loadConfig({ NODE_ENV: 'development', ORDERS_URL: 'https://orders.example.com/v1/graphql', PAYMENTS_URL: 'https://x.lambda-url.eu-west-1.on.aws/graphql' });
    expect([config.urls.orders, config.urls.payments]).toEqual(['https://orders.example.com/v1', 'https://x.lambda-url.eu-west-1.on.aws']);
  });
});

const PRODUCTION = { NODE_ENV: 'production', ...STRONG };

describe('Stripe settings', () => {
  it('use the emulator’s development values in development and test only', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).stripe).toEqual({ secretKey: DEV_STRIPE_SECRET_KEY, webhookSecret: DEV_STRIPE_WEBHOOK_SECRET, publishableKey: undefined, apiUrl: undefined });
    expect(loadConfig({ ...PRODUCTION }).stripe).toEqual({ secretKey: undefined, webhookSecret: undefined, publishableKey: undefined, apiUrl: undefined });
  });

  it('stop Payments from starting outside development without a key or a webhook secret', () => {
    expect(() => requireStripeSecrets(loadConfig({ ...PRODUCTION }).stripe, 'production')).toThrow(ConfigError);
    try {
      requireStripeSecrets(loadConfig({ ...PRODUCTION, STRIPE_SECRET_KEY: 'sk_live_abc123' }).stripe, 'production');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'STRIPE_WEBHOOK_SECRET: is required by the Payments service because NODE_ENV is "production" (the emulator and its development values run only with NODE_ENV=development or test); or set STRIPE_WEBHOOK_SECRET_ARN',
      ]);
    }
    expect(requireStripeSecrets(loadConfig({ ...PRODUCTION, STRIPE_SECRET_KEY: 'sk_live_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }).stripe, 'production')).toEqual({ secretKey: 'sk_live_abc123', webhookSecret: 'whsec_abc' });
  });

  it('refuse malformed keys, the development values and a clear-text API URL outside development, never echoing a secret', () => {
    const problems = configError({ ...PRODUCTION, STRIPE_SECRET_KEY: 'pk_live_oops-secret', STRIPE_WEBHOOK_SECRET: DEV_STRIPE_WEBHOOK_SECRET, STRIPE_API_URL: 'http://stripe.internal:12111' }).problems;
    expect(problems).toEqual([
      'STRIPE_SECRET_KEY: must be a Stripe secret key (sk_test_..., sk_live_... or a restricted rk_... key)',
      'STRIPE_WEBHOOK_SECRET: must not be the development value because NODE_ENV is "production" (development values apply only with NODE_ENV=development or test)',
      'STRIPE_API_URL: must be an https URL (or http on this machine\'s loopback) because NODE_ENV is "production" (development values apply only with NODE_ENV=development or test), got "http://stripe.internal:12111"',
    ]);
    expect(problems.join('\n')).not.toContain('oops-secret');
    expect(loadConfig({ NODE_ENV: 'development', STRIPE_API_URL: 'http://127.0.0.1:12111' }).stripe.apiUrl).toBe('http://127.0.0.1:12111');
    expect(loadConfig({ ...PRODUCTION, STRIPE_API_URL: 'http://127.0.0.1:12111' }).stripe.apiUrl).toBe('http://127.0.0.1:12111');
  });
});

describe('mail settings (Notifications)', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: STRONG_JWT, GATEWAY_SIGNING_SECRET: STRONG_SIGNING, EVENT_SIGNING_SECRET: `${STRONG_SIGNING}-events` };

  it('sends to the local maildev in development, from a .localhost sender, linking to the local storefront', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).mail).toEqual({
      transport: 'smtp',
      smtpUrl: 'smtp://127.0.0.1:1025',
      from: { name: 'Federated Commerce', address: 'orders@shop.localhost' },
      sendTimeoutMs: 30_000,
      shopUrl: 'http://localhost:4000',
      local: { smtpPort: undefined, webPort: undefined },
    });
    expect(loadConfig({ NODE_ENV: 'development', SMTP_PORT: '2525', MAILDEV_WEB_PORT: '0' }).mail).toMatchObject({
      smtpUrl: 'smtp://127.0.0.1:2525',
      local: { smtpPort: 2525, webPort: 0 },
    });
  });

  it('has no SMTP server, sender or shop link in production unless told', () => {
    expect(loadConfig(production).mail).toMatchObject({ smtpUrl: undefined, from: undefined, shopUrl: undefined });
    expect(
      loadConfig({ ...production, MAIL_TRANSPORT: 'ses', SMTP_URL: 'smtps://user:pass@mail.example.com:465', MAIL_FROM: 'Example Shop <orders@example.com>', SHOP_URL: 'https://shop.example.com/' }).mail,
    ).toMatchObject({
      transport: 'ses',
      smtpUrl: 'smtps://user:pass@mail.example.com:465',
      from: { name: 'Example Shop', address: 'orders@example.com' },
      shopUrl: 'https://shop.example.com',
    });
    expect(loadConfig({ ...production, MAIL_FROM: 'orders@example.com' }).mail.from).toEqual({ name: undefined, address: 'orders@example.com' });
  });

  it('refuses a sender that could carry a second address or a header, and other schemes', () => {
    for (const from of ['a@example.com, b@example.com', 'Shop <a@example.com>\r\nBcc: b@example.com', 'not an address', '"Quoted" <a@example.com>']) {
      expect(configError({ NODE_ENV: 'development', MAIL_FROM: from }).problems).toEqual([expect.stringMatching(/^MAIL_FROM: must be an email address/)]);
    }
    expect(configError({ NODE_ENV: 'development', SMTP_URL: 'http://mail.example.com' }).problems).toEqual([expect.stringMatching(/^SMTP_URL: must be a smtp or smtps URL/)]);
    expect(configError({ NODE_ENV: 'development', MAIL_TRANSPORT: 'carrier-pigeon' }).problems).toEqual([expect.stringMatching(/^MAIL_TRANSPORT: must be one of smtp, ses/)]);
  });
});
