import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * The processes a benchmark starts, each in its own process group (so its children, npx's node or cluster workers,
 * go with it). `stopAll` ends them all, and they are killed on the benchmark's exit too, however it ends: nothing it
 * started outlives it.
 */
export class ProcessGroup {
  private readonly started: Started[] = [];
  private readonly onExit = () => {
    for (const { child } of this.started) killGroup(child, 'SIGKILL');
  };

  constructor(private readonly logDir: string) {
    process.once('exit', this.onExit);
  }

  spawn(name: string, command: string, args: readonly string[], env: Record<string, string>): Started {
    const logFile = join(this.logDir, `${name}.log`);
    const log = openSync(logFile, 'w');
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    const started = { name, child, logFile };
    this.started.push(started);
    return started;
  }

  /** CPU time (user + system) in ms of every live process in the group of `started`. */
  cpuMs(started: Started): number {
    const group = started.child.pid;
    if (group === undefined) return 0;
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      // Fields after the command name (which may hold spaces) start at its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== group) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  }

  async stop(started: Started): Promise<void> {
    const index = this.started.indexOf(started);
    if (index >= 0) this.started.splice(index, 1);
    await stopGroup(started.child);
  }

  async stopAll(): Promise<void> {
    const all = this.started.splice(0).reverse();
    await Promise.all(all.map(({ child }) => stopGroup(child)));
    process.off('exit', this.onExit);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      // Workers of a cluster or npx's children may still be there: the group goes as a whole.
      killGroup(child, 'SIGKILL');
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}

/** The last lines a process wrote, for an error message when it failed to start. */
export function tail(started: Started, lines = 20): string {
  try {
    return readFileSync(started.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
