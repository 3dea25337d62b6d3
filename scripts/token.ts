/**
 * Prints a development JWT signed with JWT_SECRET (HS256):
 *   npm run token -- --sub customer-1 [--admin] [--ttl 3600]
 */
import { parseArgs } from 'node:util';
import { SUB_RULE, isWellFormedSub, signDevToken } from '../lib/auth';
import { ConfigError, loadConfig } from '../lib/config';

const USAGE = 'usage: npm run token -- --sub <customer-id> [--admin] [--ttl <seconds>]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { sub?: string; admin?: boolean; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { sub: { type: 'string' }, admin: { type: 'boolean' }, ttl: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const sub = values.sub?.trim();
  if (!sub) fail('--sub is required: the customer id the token stands for');
  // The gateway refuses a token whose sub headers could not carry; say so now rather than at the first request.
  if (!isWellFormedSub(sub)) fail(`--sub must be ${SUB_RULE}, got ${JSON.stringify(sub)}`);
  const ttl = values.ttl === undefined ? 3600 : Number(values.ttl);
  if (!Number.isSafeInteger(ttl) || ttl <= 0) fail(`--ttl must be a positive number of seconds, got ${JSON.stringify(values.ttl)}`);

  // Development tokens for `npm start`; with NODE_ENV set otherwise, JWT_SECRET must be a real one.
  process.env['NODE_ENV'] ??= 'development';
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  if (ttl > config.jwt.maxTtlSeconds) {
    fail(`--ttl ${ttl} is longer than the gateway accepts (JWT_MAX_TTL_SECONDS=${config.jwt.maxTtlSeconds})`);
  }
  if (!config.jwt.secret) {
    fail('this command signs with JWT_SECRET; with JWT_JWKS_URL set, tokens come from your identity provider');
  }
  const token = await signDevToken(
    { sub, roles: values.admin ? ['admin'] : [], ttlSeconds: ttl },
    config.jwt.secret,
    { issuer: config.jwt.issuer, audience: config.jwt.audience },
  );
  process.stdout.write(`${token}\n`);
}

void main();
