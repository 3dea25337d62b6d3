import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../lib/config';
import { createServiceRuntime } from '../../lib/runtime';
import { testEnv } from '../../test/support/system';
import { paymentsModule } from './composition';

/**
 * Payments fails closed: outside development and test, it does not start without Stripe's secret key and webhook
 * secret, whichever way it is started (its composition root refuses to build), and the other services do not need them.
 */

const production = (overrides: Record<string, string> = {}) => testEnv('payments-startup', { NODE_ENV: 'production', STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', ...overrides });

describe('Payments outside development', () => {
  it('refuses to build without a Stripe key or webhook secret, naming both', () => {
    const runtime = createServiceRuntime(loadConfig(production()), 'payments');
    try {
      expect(() => paymentsModule(runtime)).toThrow(ConfigError);
      expect(() => paymentsModule(runtime)).toThrow(/STRIPE_SECRET_KEY: is required by the Payments service[\s\S]*STRIPE_WEBHOOK_SECRET: is required by the Payments service/);
    } finally {
      runtime.dynamo.client.destroy();
    }
  });

  it('builds with both, and the other services never need them', () => {
    const runtime = createServiceRuntime(loadConfig(production({ STRIPE_SECRET_KEY: 'sk_live_Abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc' })), 'payments');
    try {
      expect(paymentsModule(runtime).tableName).toBe(runtime.config.dynamodb.tables.payments);
    } finally {
      runtime.dynamo.client.destroy();
    }
    expect(loadConfig(production()).stripe.secretKey).toBeUndefined();
  });

  it('exits at start-up as a standalone service, saying what is missing', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/run-service.ts', 'payments'], {
      cwd: resolve(__dirname, '../..'),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...production({ DYNAMODB_ENDPOINT: '' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr).toContain('STRIPE_SECRET_KEY: is required by the Payments service because NODE_ENV is "production"');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
