import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { hiveGatewayInstalled } from './hive-gateway-install';

const lock = (packages: Record<string, { version?: string }>) => JSON.stringify({ lockfileVersion: 3, packages });
const LOCKED = { '': {}, 'node_modules/@graphql-hive/gateway': { version: '2.15.1' }, 'node_modules/graphql': { version: '16.15.0' } };

describe('hiveGatewayInstalled', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const folder = (installed?: Record<string, { version?: string }>) => {
    const dir = mkdtempSync(join(tmpdir(), 'hive-install-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'package-lock.json'), lock(LOCKED));
    if (installed) {
      mkdirSync(join(dir, 'node_modules'));
      writeFileSync(join(dir, 'node_modules/.package-lock.json'), lock(installed));
    }
    return dir;
  };

  it('is true only when node_modules holds every locked package at its locked version', () => {
    expect(hiveGatewayInstalled(folder())).toBe(false);
    expect(hiveGatewayInstalled(folder({ 'node_modules/graphql': { version: '16.15.0' } }))).toBe(false);
    expect(hiveGatewayInstalled(folder({ ...LOCKED, 'node_modules/@graphql-hive/gateway': { version: '2.14.0' } }))).toBe(false);
    expect(hiveGatewayInstalled(folder({ 'node_modules/@graphql-hive/gateway': { version: '2.15.1' }, 'node_modules/graphql': { version: '16.15.0' } }))).toBe(true);
  });
});
