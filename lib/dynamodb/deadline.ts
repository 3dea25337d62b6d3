import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest } from '@smithy/protocol-http';
import type { HttpHandlerOptions, SdkError } from '@smithy/types';
import { ServiceUnavailableError } from '../ddd';
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

/**
 * DynamoDB not answering is an outage, not a bug: once the SDK has given up (its attempts timed out, the
 * connection was refused or reset, 5xx or throttling after every retry) the failure becomes SERVICE_UNAVAILABLE,
 * which every caller maps to "try again" (HTTP 503 at the gateway, a redelivery for a consumer) instead of a
 * masked INTERNAL_SERVER_ERROR. The SDK's own classification decides what counts (@smithy/core/retry: what its
 * retry strategy treats as transient, throttling or a server error). A failed condition, a cancelled
 * transaction or a validation error is none of these and passes unchanged. Outermost step, so it sees the
 * final outcome after the retries.
 */
export function reportUnavailable(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw asUnavailable(error, String(context.commandName)) ?? error;
      }
    },
    { step: 'initialize', name: 'reportUnavailable', priority: 'high' },
  );
}

/** The ServiceUnavailableError a DynamoDB failure stands for, or undefined when it is not an outage. */
export function asUnavailable(error: unknown, commandName = 'a DynamoDB call'): ServiceUnavailableError | undefined {
  if (!(error instanceof Error) || error instanceof ServiceUnavailableError) return undefined;
  // The request's own deadline aborted the call: its reason is the answer already.
  const late = currentDeadline()?.reason;
  if (error.name === 'AbortError') return late;
  const failure = error as SdkError;
  if (!isTransientError(failure) && !isThrottlingError(failure) && !isServerError(failure)) return undefined;
  return new ServiceUnavailableError(
    'the data store did not answer in time; try again shortly',
    undefined,
    { cause: new Error(`${commandName.replace(/Command$/, '')}: ${error.name}: ${error.message}`, { cause: error }) },
  );
}
