import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

/**
 * docker-compose.yml cannot be run here (no Docker daemon), so its structure is checked instead (issue 9 and 13):
 * only the gateway published, health checks, pinned images, the seed job waiting for DynamoDB and Catalog, Redis
 * with a password, secrets required from the environment, NODE_ENV explicit.
 */

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  profiles?: string[];
}

const file = readFileSync(resolve(__dirname, '../../docker-compose.yml'), 'utf8');
const compose = parse(file, { merge: true }) as { services: Record<string, Service> };
/** The stack `docker compose up` starts: services under a profile (jaeger: `--profile tracing`) are opt-in. */
const services = Object.fromEntries(Object.entries(compose.services).filter(([, service]) => service.profiles === undefined));
const apps = ['catalog', 'orders', 'rewards', 'payments', 'shipping', 'notifications', 'gateway'];

describe('docker-compose.yml', () => {
  it('has the expected services', () => {
    expect(Object.keys(services).sort()).toEqual(['catalog', 'dynamodb', 'gateway', 'maildev', 'notifications', 'orders', 'payments', 'redis', 'rewards', 'seed', 'shipping']);
  });

  it("publishes only the gateway, and on loopback Payments (Stripe's webhooks) and maildev's inbox", () => {
    const published = Object.entries(services).filter(([, service]) => (service.ports ?? []).length > 0);
    expect(published.map(([name, service]) => [name, service.ports])).toEqual([
      ['payments', ['127.0.0.1:4004:4004']],
      ['maildev', ['127.0.0.1:1080:1080']],
      ['gateway', ['4000:4000']],
    ]);
  });

  it('gives Stripe’s secrets to Payments alone, and requires them; the publishable key also to the gateway, which serves the storefront', () => {
    const expected: Record<string, string[]> = { payments: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_PUBLISHABLE_KEY'], gateway: ['STRIPE_PUBLISHABLE_KEY'] };
    for (const [name, service] of Object.entries(services)) {
      const stripe = Object.keys(service.environment ?? {}).filter((variable) => variable.startsWith('STRIPE_'));
      expect([name, stripe]).toEqual([name, expected[name] ?? []]);
    }
    expect(services['gateway']!.environment!['STRIPE_PUBLISHABLE_KEY']).toBe('${STRIPE_PUBLISHABLE_KEY:-}');
    expect(services['payments']!.environment!['STRIPE_SECRET_KEY']).toMatch(/^\$\{STRIPE_SECRET_KEY:\?/);
    expect(services['payments']!.environment!['STRIPE_WEBHOOK_SECRET']).toMatch(/^\$\{STRIPE_WEBHOOK_SECRET:\?/);
  });

  it('runs the Notifications worker against maildev unless SMTP_URL names another mail server', () => {
    const env = services['notifications']!.environment!;
    expect(env['SMTP_URL']).toBe('${SMTP_URL:-smtp://maildev:1025}');
    expect(env['MAIL_FROM']).toMatch(/^\$\{MAIL_FROM:-.+<orders@shop\.localhost>\}$/);
    expect(services['notifications']!.command).toEqual(['notifications']);
    expect(services['notifications']!.depends_on).toEqual({
      dynamodb: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      maildev: { condition: 'service_healthy' },
    });
  });

  it('keeps the opt-in Jaeger UI under the tracing profile, published on loopback only', () => {
    expect(compose.services['jaeger']!.profiles).toEqual(['tracing']);
    expect(compose.services['jaeger']!.ports).toEqual(['127.0.0.1:16686:16686']);
  });

  it('pins every image to a version (no :latest, no untagged image)', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image === undefined) {
        expect([name, service.build]).toEqual([name, '.']);
        continue;
      }
      expect(service.image).toMatch(/^[a-z0-9./-]+:\d+(\.\d+)+(-[a-z]+)?$/);
    }
  });

  it('health-checks every long-running service', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'seed') {
        expect(service.healthcheck?.disable).toBe(true);
        continue;
      }
      expect([name, Array.isArray(service.healthcheck?.test)]).toEqual([name, true]);
    }
  });

  it('starts the seed job once DynamoDB and Catalog are healthy, and the gateway once the subgraphs are', () => {
    expect(services['seed']!.depends_on).toEqual({ dynamodb: { condition: 'service_healthy' }, catalog: { condition: 'service_healthy' } });
    for (const subgraph of ['catalog', 'orders', 'rewards', 'payments', 'shipping']) expect(services['gateway']!.depends_on?.[subgraph]).toEqual({ condition: 'service_healthy' });
  });

  it('runs the services in production mode on all interfaces, with every secret required from the environment', () => {
    for (const name of [...apps, 'seed']) {
      const env = services[name]!.environment!;
      expect([name, env['NODE_ENV'], env['HOST']]).toEqual([name, 'production', '0.0.0.0']);
      for (const secret of ['JWT_SECRET', 'GATEWAY_SIGNING_SECRET', 'EVENT_SIGNING_SECRET']) {
        expect(env[secret]).toMatch(new RegExp(`^\\$\\{${secret}:\\?`));
      }
      expect(env['REDIS_URL']).toMatch(/^redis:\/\/ecommerce:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379$/);
    }
    expect(file).not.toMatch(/dev-only-/);
  });

  it('runs Redis with an ACL user and a required password, the default user behind the same password', () => {
    const redis = services['redis']!;
    expect(redis.environment?.['REDIS_PASSWORD']).toMatch(/^\$\{REDIS_PASSWORD:\?/);
    expect(redis.command!.join(' ')).toContain(`--user default on ">$$REDIS_PASSWORD" '~*' '&*' '+@all' --user ecommerce on ">$$REDIS_PASSWORD"`);
    expect(redis.command!.join(' ')).not.toMatch(/nopass|default off/);
    expect(JSON.stringify(redis.healthcheck?.test)).toContain('--user ecommerce --pass');
  });
});
