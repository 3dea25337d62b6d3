import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../lib/logging';

export interface ClusterOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** How long stopping waits for workers to finish before killing them. */
  readonly stopGraceMs?: number;
}

/**
 * `GATEWAY_WORKERS=N`: the primary process forks N gateway processes that share the listening port (Node cluster;
 * the primary hands out connections). Workers share subscriptions and the response cache through Redis: each takes
 * status events from the consumer group and fans them out on Redis pub/sub, which every worker hears. A worker that
 * dies is replaced; SIGINT/SIGTERM stop them all. Returns in the primary once the workers are listening.
 */
export async function runGatewayCluster(options: ClusterOptions): Promise<{ stop(): Promise<void> }> {
  let stopping = false;
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      options.logger.error({ pid: worker.process.pid, code, signal }, 'gateway worker exited; starting another');
      fork();
    });
    return worker;
  };
  const stop = async () => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
    await Promise.all(
      alive.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), options.stopGraceMs ?? 10_000);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  };
  const workers = Array.from({ length: options.workers }, fork);
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.once('listening', () => resolve());
            worker.once('exit', (code) => reject(new Error(`gateway worker ${worker.process.pid} exited with code ${code} while starting`)));
          }),
      ),
    );
  } catch (error) {
    // A worker that cannot start would not start when replaced either (configuration, port): stop them all.
    await stop();
    throw error;
  }
  return { stop };
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}
