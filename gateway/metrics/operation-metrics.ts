import type { ApolloServerPlugin } from '@apollo/server';
import { Histogram, type Registry } from 'prom-client';

/** Distinct operation names that get a label of their own; later ones are counted as `other`. */
export const MAX_OPERATION_NAMES = 100;

export type OperationOutcome = 'success' | 'error' | 'rejected';

/**
 * `graphql_operation_duration_seconds{operation,type,outcome}`: every operation the gateway's GraphQL server
 * answers (its `_count` is the number of operations), timed from the request's arrival at Apollo Server to the
 * response. Outcomes: `success` (no error), `error` (executed, with errors: partial or failed), `rejected` (never
 * executed: unparsable, invalid, too complex, unauthenticated, rate limited...).
 *
 * Label values stay bounded whatever clients send (Prometheus keeps one series per label set): an operation
 * without a name is `anonymous`, one that could not be resolved (parse or validation failure) `unknown`, and
 * once MAX_OPERATION_NAMES names are in use any new name is `other`. A name gets its label only after its
 * operation passed validation.
 */
export function operationMetricsPlugin(registry: Registry, maxNames = MAX_OPERATION_NAMES): ApolloServerPlugin {
  const duration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operations answered by the gateway, by operation name, type (query, mutation, subscription, unknown) and outcome (success, error, rejected)',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const names = new BoundedLabels(maxNames);
  return {
    async requestDidStart() {
      const end = duration.startTimer();
      let operation = 'unknown';
      let type = 'unknown';
      let executed = false;
      return {
        async didResolveOperation(requestContext) {
          type = requestContext.operation?.operation ?? 'unknown';
          operation = requestContext.operationName ? names.label(requestContext.operationName) : 'anonymous';
        },
        async executionDidStart() {
          executed = true;
        },
        async willSendResponse(requestContext) {
          const body = requestContext.response.body;
          const failed = (requestContext.errors?.length ?? 0) > 0 || (body.kind === 'single' && (body.singleResult.errors?.length ?? 0) > 0);
          const outcome: OperationOutcome = !failed ? 'success' : executed ? 'error' : 'rejected';
          end({ operation, type, outcome });
        },
      };
    },
  };
}

/** The first `max` distinct values are their own label; any later one is `other`. */
export class BoundedLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  label(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(value);
    return value;
  }
}
