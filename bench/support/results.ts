import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { resolve } from 'node:path';

export const RESULTS_DIR = resolve(__dirname, '../results');

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly kernel: string;
  readonly node: string;
  readonly redisServer: string | undefined;
}

export function machineInfo(): MachineInfo {
  const redis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${process.platform}-${process.arch}`,
    kernel: release(),
    node: process.version,
    redisServer: redis.status === 0 ? /v=(\S+)/.exec(redis.stdout)?.[1] : undefined,
  };
}

/** Writes bench/results/<name>.json (through a temporary file, so a crash never leaves half a result). */
export function writeResult(name: string, data: Record<string, unknown>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = resolve(RESULTS_DIR, `${name}.json`);
  const body = { bench: name, date: new Date().toISOString(), machine: machineInfo(), ...data };
  writeFileSync(`${path}.tmp`, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}
