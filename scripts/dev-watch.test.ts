import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '../lib/events/testing/wait-for';
import { freePort } from '../lib/process';
import { childrenOf, isAlive, startDev, waitForDevReady, waitUntilGone, type DevRun } from '../test/support/dev-runner';
import { restartsServices, WATCHED } from './dev-watch';

const root = resolve(__dirname, '..');

/** maildev runs as a Node child like the services (lib/mail/local.ts); its command line names it. */
function isMaildev(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('maildev');
  } catch {
    return false;
  }
}

/**
 * `npm run dev` as a user runs it, on a copy of the backend sources (so the test can edit them): the local servers
 * start once, and an edit of a source file restarts the services, whose new code then answers.
 */
describe('npm run dev', () => {
  const copy = mkdtempSync(join(tmpdir(), 'dev-watch-'));
  const runs: DevRun[] = [];
  afterAll(async () => {
    for (const run of runs) if (run.child.exitCode === null) run.child.kill('SIGKILL');
    rmSync(copy, { recursive: true, force: true });
  });

  it('restarts what it watches for source and schema changes, not for tests', () => {
    expect(['lib/http/health.ts', 'schema/supergraph.graphql', 'gateway/service.ts'].map(restartsServices)).toEqual([true, true, true]);
    expect(['lib/http/health.test.ts', 'subgraphs/orders/infrastructure/catalog-acl/test-support/acl-harness.ts', 'lib/config/.app-config.ts.swp'].map(restartsServices)).toEqual([false, false, false]);
  });

  it('keeps DynamoDB Local, redis-server, maildev and the Stripe emulator while the services restart on an edit, and the new code answers', async () => {
    for (const directory of WATCHED) cpSync(join(root, directory), join(copy, directory), { recursive: true });
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json']) copyFileSync(join(root, file), join(copy, file));
    // Read, never edited: the packages, and the storefront whose build the services serve.
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    symlinkSync(join(root, 'web'), join(copy, 'web'));

    const ports = {
      gateway: await freePort(),
      catalog: await freePort(),
      orders: await freePort(),
      rewards: await freePort(),
      payments: await freePort(),
      shipping: await freePort(),
      notifications: await freePort(),
    };
    const run = startDev(
      {
        DATA_DIR: join(copy, '.data'),
        GATEWAY_PORT: String(ports.gateway),
        CATALOG_PORT: String(ports.catalog),
        ORDERS_PORT: String(ports.orders),
        REWARDS_PORT: String(ports.rewards),
        PAYMENTS_PORT: String(ports.payments),
        SHIPPING_PORT: String(ports.shipping),
        NOTIFICATIONS_PORT: String(ports.notifications),
        // Any free ports: on a shared machine another run may hold or take the usual ones at any moment.
        DYNAMODB_PORT: '0',
        REDIS_PORT: '0',
        SMTP_PORT: '0',
        MAILDEV_WEB_PORT: '0',
        STRIPE_EMULATOR_PORT: '0',
        LOG_LEVEL: 'info',
      },
      { script: 'scripts/dev-watch.ts', cwd: copy },
    );
    runs.push(run);
    await waitForDevReady(run, 180_000);

    const live = async () => {
      const response = await fetch(`http://127.0.0.1:${ports.gateway}/health/live`).catch(() => undefined);
      return response?.ok ? ((await response.json()) as { status: string }) : undefined;
    };
    expect(await live()).toEqual({ status: 'ok', service: 'gateway' });
    // The Stripe emulator, which runs in the supervisor, knows Payments' webhook, whose port survives restarts.
    const started = run.output().split('\n').find((line) => line.includes('"msg":"Stripe emulator started"'));
    const emulatorUrl = started ? (JSON.parse(started) as { url?: string }).url : undefined;
    expect(emulatorUrl).toBeDefined();
    expect(await (await fetch(`${emulatorUrl}/_emulator/webhook_endpoints`)).json()).toEqual({ endpoints: [`http://127.0.0.1:${ports.payments}/webhooks/stripe`] });
    const before = childrenOf(run.child.pid!);
    const servers = before.filter((child) => child.command === 'java' || child.command.startsWith('redis-server') || isMaildev(child.pid));
    const services = before.filter((child) => child.command === 'node' && !isMaildev(child.pid));
    expect(servers.map((child) => (isMaildev(child.pid) ? 'maildev' : child.command)).sort()).toEqual(['java', 'maildev', 'redis-server']);
    expect(services).toHaveLength(1);

    // An edit that breaks the code stops the services, and the supervisor waits for the next one.
    const health = join(copy, 'lib/http/health.ts');
    const original = readFileSync(health, 'utf8');
    expect(original).toContain("res.json({ status: 'ok', service: options.service });");
    writeFileSync(health, `${original}\nexport const broken = ;\n`);
    await waitFor('the broken services to stop', () => run.output().includes('the services stopped; they start again on the next change'), 120_000, 100);
    expect(await live()).toBeUndefined();

    writeFileSync(health, original.replace("res.json({ status: 'ok', service: options.service });", "res.json({ status: 'edited', service: options.service });"));
    await waitFor('the edited code to answer', async () => (await live())?.status === 'edited', 120_000, 200);

    expect(run.output()).toMatch(/"msg":"restarting the services".*"changed":"lib\/http\/health\.ts"|"changed":"lib\/http\/health\.ts".*"msg":"restarting the services"/);
    await waitFor('the restarted banner', () => run.output().includes('Services restarted in'), 60_000, 100);
    const after = childrenOf(run.child.pid!);
    expect(after.filter((child) => child.command === 'java' || child.command.startsWith('redis-server') || isMaildev(child.pid))).toEqual(servers);
    expect(after.filter((child) => child.command === 'node' && !isMaildev(child.pid)).map((child) => child.pid)).not.toEqual(services.map((child) => child.pid));
    expect(isAlive(services[0]!.pid)).toBe(false);
    // The data stayed with the servers: the demo products were seeded by the first start only.
    expect(run.output().match(/seeded demo products/g)).toHaveLength(1);

    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(await waitUntilGone(after.map((child) => child.pid), 15_000)).toEqual([]);
  }, 420_000);
});
