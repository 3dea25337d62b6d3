import { CloseCode } from 'graphql-ws';
import type { WebSocketServer } from 'ws';
import type { Logger } from '../../lib/logging';

/**
 * What an 'error' on a socket means, and who hears of it. ws emits one when a client breaks the protocol (a message
 * over maxPayload, a malformed frame: the WS_ERR_* codes), after it has closed the socket itself with the code RFC 6455
 * gives it (1009, 1002); graphql-ws answers every socket error with console.error and a stack, as if the server were
 * at fault, on stdout beside the JSON logs. This takes its place: a client's error is a debug line of the gateway's
 * log, anything else an error line; a socket still open is closed as graphql-ws closes it (4500).
 *
 * Call it after graphql-ws's useServer: its connection listener then runs after graphql-ws's has added its own.
 */
export function logSocketErrors(wss: WebSocketServer, logger: Logger): void {
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error: Error & { code?: unknown }) => {
      if (typeof error.code === 'string' && error.code.startsWith('WS_ERR_')) {
        logger.debug({ code: error.code, reason: error.message }, 'closed a WebSocket whose client broke the protocol');
      } else {
        logger.error({ err: error }, 'WebSocket error');
      }
      if (socket.readyState === socket.OPEN) socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
  });
}
