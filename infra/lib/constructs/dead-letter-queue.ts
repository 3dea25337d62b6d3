import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../environments';

/** Every dead-letter queue of a stack, so the observability stack alarms on each one's depth. */
export interface DeadLetterQueues {
  readonly deadLetterQueues: readonly Queue[];
}

/**
 * A dead-letter queue: the longest retention SQS allows (14 days) to inspect and redrive what failed, encrypted,
 * TLS only. Its depth alarm fires on the first message (observability stack).
 */
export function deadLetterQueue(scope: Construct, id: string, settings: EnvironmentSettings): Queue {
  return new Queue(scope, id, {
    retentionPeriod: Duration.days(14),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy: settings.removalPolicy,
  });
}
