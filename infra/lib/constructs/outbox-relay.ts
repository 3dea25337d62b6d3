import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ContextName } from '../../../lib/config';
import type { LambdaEntryName } from '../bundling';
import type { EnvironmentSettings } from '../environments';
import { OUTBOX_INDEX } from '../../../lib/events/outbox-record';
import { grantSecretValue, grantTableActions, RELAY_TABLE_ACTIONS } from '../permissions';
import { AppFunction } from './app-function';
import { deadLetterQueue } from './dead-letter-queue';

export interface OutboxRelayProps {
  readonly settings: EnvironmentSettings;
  readonly context: ContextName & LambdaEntryName;
  readonly table: ITable;
  readonly bus: IEventBus;
  readonly signingSecret: ISecret;
  /** The relay signs every envelope it publishes (EVENT_SIGNING_SECRET). */
  readonly eventSigningSecret: ISecret;
  /** The variable the context reads its table name from (CATALOG_TABLE...). */
  readonly tableVariable: string;
}

/** Batch retries before a batch is split down to the failing record and that record dead-lettered. */
export const RELAY_RETRY_ATTEMPTS = 5;

/** How often the sweep publishes rows the stream path left behind. */
export const SWEEP_INTERVAL_MINUTES = 5;

/**
 * The outbox relay of one context (docs/architecture.md §4), on its table's stream: publishes each committed outbox row to
 * EventBridge, then deletes it. Only INSERTs of outbox rows (`pk` begins with OUTBOX#) invoke it: the stream
 * also carries every aggregate write and the relay's own deletes. A failing batch is retried, bisected to isolate
 * the record that fails, and that record's position goes to the dead-letter queue; the row itself stays in the
 * table, so nothing is lost: a schedule runs the same function's sweep, which publishes pending rows (the
 * outbox index) that are older than a few seconds, as the local relay's periodic sweep does.
 */
export class OutboxRelay extends Construct {
  readonly function: AppFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: OutboxRelayProps) {
    super(scope, id);
    const { settings } = props;
    this.function = new AppFunction(this, 'Relay', {
      settings,
      name: `${props.context}-outbox-relay`,
      entry: props.context,
      handler: 'outboxRelayHandler',
      description: `${props.context}: outbox rows on the table's stream -> EventBridge`,
      timeout: Duration.seconds(30),
      memoryMiB: 256,
      environment: {
        [props.tableVariable]: props.table.tableName,
        EVENT_BUS: 'eventbridge',
        EVENT_BUS_NAME: props.bus.eventBusName,
        GATEWAY_SIGNING_SECRET_ARN: props.signingSecret.secretArn,
        EVENT_SIGNING_SECRET_ARN: props.eventSigningSecret.secretArn,
      },
    });
    const fn = this.function.fn;
    grantTableActions(fn, props.table, RELAY_TABLE_ACTIONS, { indexes: false });
    // The sweep reads the pending rows through the outbox index, and nothing else.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${props.table.tableArn}/index/${OUTBOX_INDEX.name}`] }));
    grantSecretValue(fn, props.signingSecret);
    grantSecretValue(fn, props.eventSigningSecret);
    props.bus.grantPutEventsTo(fn);

    this.deadLetterQueue = deadLetterQueue(this, 'StreamDlq', settings);
    fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        // PutEvents takes 10 entries per call: one batch, one call.
        batchSize: 10,
        bisectBatchOnError: true,
        retryAttempts: RELAY_RETRY_ATTEMPTS,
        // Under the stream's 24 h retention, so a stuck record is dead-lettered before it would be trimmed.
        maxRecordAge: Duration.hours(12),
        onFailure: new SqsDlq(this.deadLetterQueue),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { pk: { S: FilterRule.beginsWith('OUTBOX#') } } },
          }),
        ],
      }),
    );

    new Schedule(this, 'SweepSchedule', {
      scheduleName: `${settings.prefix}${props.context}-outbox-sweep`,
      description: `${props.context}: publishes outbox rows the stream relay left pending`,
      schedule: ScheduleExpression.rate(Duration.minutes(SWEEP_INTERVAL_MINUTES)),
      target: new LambdaInvoke(fn, {
        input: ScheduleTargetInput.fromObject({ sweep: true }),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 2,
        // The next sweep comes soon: an invocation that could not start in time is not worth keeping.
        maxEventAge: Duration.minutes(SWEEP_INTERVAL_MINUTES),
      }),
    });
  }
}
