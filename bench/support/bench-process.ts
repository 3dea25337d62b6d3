import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * A bench process of its own (a gateway, an attacker, a load generator), driven over IPC: commands in, typed replies
 * out. `script` is a path under bench/; the child runs with this process's Node options (the TypeScript loader), and
 * goes when this process does (its IPC channel closes).
 */
export class BenchProcess<Command, Reply extends { readonly type: string }> {
  private readonly child: ChildProcess;
  private readonly replies: Reply[] = [];
  private waiting: (() => void) | undefined;

  constructor(
    private readonly script: string,
    env: Record<string, string> = {},
  ) {
    this.child = fork(resolve(__dirname, '..', script), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    });
    this.child.on('message', (reply: Reply) => {
      this.replies.push(reply);
      this.waiting?.();
    });
  }

  /** The child's process id (its CPU can be read from /proc). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  async next<T extends Reply['type']>(type: T): Promise<Extract<Reply, { type: T }>> {
    for (;;) {
      const index = this.replies.findIndex((reply) => reply.type === type);
      if (index >= 0) return this.replies.splice(index, 1)[0] as Extract<Reply, { type: T }>;
      await new Promise<void>((resolveWait, reject) => {
        const onExit = (code: number | null) => reject(new Error(`${this.script} exited with ${code}`));
        this.child.once('exit', onExit);
        this.waiting = () => {
          this.child.off('exit', onExit);
          this.waiting = undefined;
          resolveWait();
        };
      });
    }
  }

  send(command: Command): void {
    this.child.send(command as object);
  }

  /** Ends the child (its IPC channel closed; killed if it has not gone within `graceMs`). */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolveExit) => this.child.once('exit', () => resolveExit()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    if (this.child.connected) this.child.disconnect();
    await exited;
    clearTimeout(timer);
  }
}
