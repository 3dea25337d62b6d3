import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest } from '@smithy/protocol-http';
import type { HttpHandlerOptions } from '@smithy/types';
import { currentDeadline } from '../logging';

/**
 * The SDK's Node handler, with the current request's deadline (lib/logging/request-deadline.ts) as the abort
 * signal of every call made on that request's behalf, combined with any signal the caller passed to `send`.
 * Abort destroys the socket at once, and the SDK does not retry an aborted call, so a stalled DynamoDB costs a
 * request no more than its deadline. The handler is the one place every command of both the plain and the
 * document client passes through with its options, so repositories need no signal parameter.
 */
class DeadlineAwareHttpHandler extends NodeHttpHandler {
  override handle(request: HttpRequest, options: HttpHandlerOptions = {}) {
    const deadline = currentDeadline();
    if (!deadline) return super.handle(request, options);
    const own = options.abortSignal as AbortSignal | undefined;
    const abortSignal = own ? AbortSignal.any([own, deadline.signal]) : deadline.signal;
    return super.handle(request, { ...options, abortSignal: abortSignal as HttpHandlerOptions['abortSignal'] });
  }
}

export function deadlineAwareHandler(options: ConstructorParameters<typeof NodeHttpHandler>[0]): NodeHttpHandler {
  return new DeadlineAwareHttpHandler(options);
}

const WRITE_OPERATION = /^(TransactWriteItems|PutItem|UpdateItem|DeleteItem|BatchWriteItem|ExecuteTransaction)Command$/;

/**
 * A write is never started after its request's deadline: whatever the request read before may have taken the
 * time the client was willing to wait, and it has been (or is about to be) told SERVICE_UNAVAILABLE. Committing
 * now would apply work nobody waits for. Checked before serialisation, so no attempt reaches the wire.
 */
export function refuseLateWrites(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITE_OPERATION.test(String(context.commandName))) currentDeadline()?.throwIfExpired();
      return next(args);
    },
    { step: 'initialize', name: 'refuseLateWrites' },
  );
}
