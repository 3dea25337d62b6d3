import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, stopChild, waitForPort, watchStartup } from '../process';

export interface LocalMaildev {
  /** Where to send: `smtp://127.0.0.1:<port>` (no authentication, no TLS: loopback only). */
  readonly smtpUrl: string;
  readonly smtpPort: number;
  /** The web inbox; its REST API lists received mail at `<webUrl>/api/email`. */
  readonly webUrl: string;
  readonly webPort: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** maildev ships as ES modules only, so it runs as its own Node process rather than being required. */
const MAILDEV_BIN = resolve(__dirname, '../../node_modules/maildev/dist/bin/maildev.js');

/**
 * Runs maildev (an SMTP server that keeps every message, with a web inbox and a REST API) as a child process,
 * bound to loopback. Port 0, or none, picks a free port. Mail is kept in memory, or under `mailDir` when given
 * (so `npm start` keeps the inbox across restarts). Ready once both listeners answer.
 */
export async function startMaildev(options: { smtpPort?: number; webPort?: number; mailDir?: string } = {}): Promise<LocalMaildev> {
  const smtpPort = options.smtpPort || (await freePort());
  const webPort = options.webPort || (await freePort());
  // Without a directory maildev writes each message under the system temp dir; a run's own keeps runs apart.
  const mailDir = options.mailDir ? resolve(options.mailDir) : mkdtempSync(join(tmpdir(), 'maildev-'));
  const args = [MAILDEV_BIN, '--smtp', String(smtpPort), '--ip', '127.0.0.1', '--web', String(webPort), '--web-ip', '127.0.0.1', '--mail-directory', mailDir];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const { exited } = watchStartup(child, 'maildev');
  try {
    await Promise.race([Promise.all([waitForPort(smtpPort, 30_000), waitForPort(webPort, 30_000)]), exited]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    smtpPort,
    webUrl: `http://127.0.0.1:${webPort}`,
    webPort,
    process: child,
    stop() {
      stopping ??= stopChild(child).finally(() => {
        if (!options.mailDir) rmSync(mailDir, { recursive: true, force: true });
      });
      return stopping;
    },
  };
}
