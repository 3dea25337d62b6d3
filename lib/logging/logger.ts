import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { activeTraceIds } from '../telemetry/trace-context';
import { currentCorrelationId } from './request-context';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly service: string;
  readonly level: string;
  /** Where lines go; unset: stdout, readable when it is a terminal (below), JSON lines otherwise. */
  readonly destination?: pino.DestinationStream;
}

/**
 * Structured JSON logs. The mixin stamps the current correlation id on every line written while a request
 * (or an event delivery) is being handled, whichever module writes it, and, when tracing is on and a span is
 * active, its trace_id and span_id (OpenTelemetry's log correlation fields), so a log line leads to its trace.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const correlationId = currentCorrelationId();
      const trace = activeTraceIds();
      return { ...(correlationId ? { correlationId } : {}), ...trace };
    },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
    },
    options.destination ?? stdoutDestination(),
  );
}

/**
 * Lines for a person when stdout is a terminal (`npm start`, `npm run dev`, a service run by hand): one coloured line
 * per entry, the time and the service first, its fields below. JSON lines otherwise, what log collectors read
 * (containers, Lambda, CI, a pipe to a file or to `jq`). Decided per process, the same for every logger in it.
 */
export function stdoutDestination(isTerminal: boolean = process.stdout.isTTY === true): pino.DestinationStream | undefined {
  if (!isTerminal) return undefined;
  pretty ??= prettyStream(process.stdout);
  return pretty ?? undefined;
}

let pretty: pino.DestinationStream | null | undefined;

/**
 * pino-pretty as a stream in this thread (no worker per logger: one process runs a dozen loggers), shared by every
 * logger; null where it is not installed (the container image and the Lambda bundles leave development
 * dependencies out). Loaded by a name in a variable so that bundlers do not pull it into those bundles.
 */
export function prettyStream(destination: NodeJS.WritableStream, colorize?: boolean): pino.DestinationStream | null {
  const name = 'pino-pretty';
  let build: typeof PinoPretty;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    build = require(name) as typeof PinoPretty;
  } catch {
    return null;
  }
  return build({
    destination,
    // Unset: pino-pretty's own choice (colours on a terminal that supports them, none with NO_COLOR).
    ...(colorize === undefined ? {} : { colorize }),
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'service',
    messageFormat: '{service} | {msg}',
  });
}
