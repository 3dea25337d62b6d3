import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Rule } from 'aws-cdk-lib/aws-events';
import type { IRuleTarget } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventBridgeSource } from '../../../lib/events/eventbridge-entry';
import { EVENT_SOURCES, type EventType } from '../../../lib/events/schemas';
import type { EnvironmentSettings } from '../environments';
import { deadLetterQueue } from './dead-letter-queue';

export interface EventConsumerRulesProps {
  readonly settings: EnvironmentSettings;
  readonly bus: IEventBus;
  /**
   * The consumer: a function invoked by the rule, or the work queue in front of one (Notifications: the queue
   * carries the consumer's retry policy, lib/events/sqs-delivery.ts).
   */
  readonly target: IFunction | IQueue;
  /** The event types the target's consumers handle (their `types`), from the contract in lib/events. */
  readonly types: readonly EventType[];
  readonly description: string;
}

/** How often EventBridge retries delivering to a target (up to the environment's maximum event age). */
export const TARGET_RETRY_ATTEMPTS = 8;

/**
 * Routes event types to one consumer function (docs/architecture.md §4): one rule per source, matching `source` =
 * ecommerce.<context> and `detail-type` in the types that source publishes, so a rule never matches a type under
 * the wrong source. Every target retries with a maximum event age and dead-letters what it cannot deliver.
 */
export class EventConsumerRules extends Construct {
  readonly rules: readonly Rule[];
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EventConsumerRulesProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeliveryDlq', props.settings);
    const bySource = new Map<string, EventType[]>();
    for (const type of props.types) {
      const source = eventBridgeSource(EVENT_SOURCES[type]);
      bySource.set(source, [...(bySource.get(source) ?? []), type]);
    }
    this.rules = [...bySource].map(
      ([source, types]) =>
        new Rule(this, `From${source.slice(source.indexOf('.') + 1).replace(/^./, (first) => first.toUpperCase())}`, {
          eventBus: props.bus,
          description: `${props.description}: ${types.join(', ')}`,
          eventPattern: { source: [source], detailType: types },
          targets: [this.ruleTarget(props)],
        }),
    );
  }

  private ruleTarget(props: EventConsumerRulesProps): IRuleTarget {
    const delivery = { deadLetterQueue: this.deadLetterQueue, retryAttempts: TARGET_RETRY_ATTEMPTS, maxEventAge: props.settings.maxEventAge };
    return 'queueArn' in props.target ? new SqsQueue(props.target, delivery) : new LambdaFunction(props.target, delivery);
  }
}
