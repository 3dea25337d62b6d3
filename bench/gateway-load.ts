/**
 * The load generator of `npm run bench -- gateway`, in a process of its own: autocannon's sending, reading and
 * bookkeeping must not share an event loop with the benchmark's own work (reading /proc and the subgraphs' metrics,
 * checking answers), so every gateway is measured by the same, otherwise idle, client. Sends one operation's requests
 * (bench/support/gateway-workload.ts) to a URL for the time it is given, over a fixed number of connections, and
 * reports the throughput, latencies and failures, and its own CPU. Driven over IPC.
 */
import autocannon from 'autocannon';
import { answersFor, holdsSomeonesData, workload, type Operation, type WorkloadFixture, type WorkloadRequest } from './support/gateway-workload';

export type LoadCommand =
  | { readonly type: 'measure'; readonly url: string; readonly operation: Operation; readonly fixture: WorkloadFixture; readonly seconds: number; readonly connections: number; readonly seed: number }
  | { readonly type: 'stop' };

export interface LoadFigures {
  readonly requests: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connection errors, timeouts and answers other than 2xx. */
  readonly failed: number;
  /** 2xx answers carrying GraphQL errors. */
  readonly graphqlErrors: number;
  /** Answers to a `me` query that did not hold the caller's own data. */
  readonly wrongCaller: number;
  /** This process's CPU during the run, in % of one core. */
  readonly cpuPercent: number;
  /** The first answer that failed, shortened: what to look at when a row has errors. */
  readonly firstError?: string;
}

export type LoadReply = { readonly type: 'measured'; readonly figures: LoadFigures };

interface Slot {
  caller?: string | undefined;
}

async function measure(command: Extract<LoadCommand, { type: 'measure' }>): Promise<LoadFigures> {
  const next = workload(command.operation, command.fixture, command.seed);
  let graphqlErrors = 0;
  let wrongCaller = 0;
  let firstError: string | undefined;
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: command.url,
    connections: command.connections,
    duration: command.seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        // One request in flight per connection: the context autocannon hands to both callbacks is this request's.
        setupRequest: (request, context) => {
          const sent: WorkloadRequest = next();
          (context as Slot).caller = sent.caller;
          return { ...request, body: sent.body, headers: { ...request.headers, 'content-type': 'application/json', ...sent.headers } };
        },
        onResponse: (status, body, context) => {
          const caller = (context as Slot).caller;
          const failed = status < 200 || status > 299;
          const errors = body.includes('"errors"');
          const wrong = caller !== undefined && holdsSomeonesData(body) && !answersFor(body, caller);
          if (errors) graphqlErrors += 1;
          if (wrong) wrongCaller += 1;
          if ((failed || errors || wrong) && firstError === undefined) firstError = `HTTP ${status}${wrong ? ` (not ${caller}'s data)` : ''}: ${body.slice(0, 300)}`;
        },
      },
    ],
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx,
    graphqlErrors,
    wrongCaller,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / (result.duration * 1000)) * 100,
    ...(firstError === undefined ? (result.errors + result.timeouts > 0 ? { firstError: `${result.errors} connection errors, ${result.timeouts} timeouts` } : {}) : { firstError }),
  };
}

process.on('message', (command: LoadCommand) => {
  if (command.type === 'stop') {
    process.disconnect();
    return;
  }
  measure(command).then(
    (figures) => process.send?.({ type: 'measured', figures } satisfies LoadReply),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
// The benchmark has gone (its IPC channel closed): nothing to measure for.
process.on('disconnect', () => process.exit(0));
