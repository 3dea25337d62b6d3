import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { createLogger, prettyStream, stdoutDestination } from './logger';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
// Two lines through the real createLogger, on the real stdout of a fresh process.
const program = [
  "const { createLogger } = require('./lib/logging/logger');",
  "const logger = createLogger({ service: 'orders', level: 'info' });",
  "logger.info({ orderId: 'o-1' }, 'order placed');",
  "logger.warn('catalog slow');",
].join(' ');

describe('log lines', () => {
  it('are JSON when stdout is not a terminal (a pipe, a container, Lambda, CI)', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', program], { cwd: root });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map(({ level, service, msg, orderId }) => ({ level, service, msg, orderId }))).toEqual([
      { level: 'info', service: 'orders', msg: 'order placed', orderId: 'o-1' },
      { level: 'warn', service: 'orders', msg: 'catalog slow', orderId: undefined },
    ]);
  });

  it('are for a person when stdout is a terminal: time, level, service and message on one line, fields below', async () => {
    // util-linux `script` runs the program on a pseudo-terminal, as a shell in a terminal window would.
    const command = [process.execPath, '--import', 'tsx', '-e', JSON.stringify(program)].join(' ');
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    // NO_COLOR leaves no colour codes; a terminal ends lines with \r\n.
    const text = stdout.replace(/\r/g, '');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: orders \| order placed\n {4}orderId: "o-1"\n\[\d\d:\d\d:\d\d\.\d{3}\] WARN: orders \| catalog slow\n$/);
  });

  it('go where they are told, whatever stdout is', () => {
    const sink = new PassThrough();
    let written = '';
    sink.on('data', (chunk: Buffer) => (written += chunk.toString()));
    createLogger({ service: 'gateway', level: 'info', destination: sink }).info('ready');
    expect(JSON.parse(written)).toMatchObject({ level: 'info', service: 'gateway', msg: 'ready' });
  });

  it('choose pretty printing from the terminal alone, one stream for every logger of the process', () => {
    expect(stdoutDestination(false)).toBeUndefined();
    const first = stdoutDestination(true);
    expect(first).toBeDefined();
    expect(stdoutDestination(true)).toBe(first);
  });

  it('pretty-print through pino-pretty without colours when asked', () => {
    const sink = new PassThrough();
    let written = '';
    sink.on('data', (chunk: Buffer) => (written += chunk.toString()));
    createLogger({ service: 'catalog', level: 'info', destination: prettyStream(sink, false)! }).error({ sku: 'MUG-1' }, 'duplicate');
    expect(written).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] ERROR: catalog \| duplicate\n {4}sku: "MUG-1"\n$/);
  });
});
