import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, Match } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { EVENTBRIDGE_SOURCE_PREFIX } from '../../../lib/events/eventbridge-entry';
import type { EnvironmentSettings } from '../environments';

export interface EventsStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
}

/**
 * The system's custom event bus (docs/architecture.md §4: `Source` = ecommerce.<context>, `DetailType` = the event type,
 * `Detail` = the envelope) and an archive of every domain event on it, so consumers can be replayed after a bug
 * fix or a dead-lettered batch. The rules live with their targets (subgraphs and gateway stacks): a rule's Lambda
 * permission references the rule, so rule and function in one stack keep the stacks free of cycles.
 */
export class EventsStack extends Stack {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.bus = new EventBus(this, 'Bus', { eventBusName: `${settings.prefix}events` });
    this.bus.archive('Archive', {
      archiveName: `${settings.prefix}events-archive`,
      description: 'Every domain event, for replay (EventBridge archive)',
      eventPattern: { source: Match.prefix(EVENTBRIDGE_SOURCE_PREFIX) },
      retention: settings.archiveRetention,
    });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName, description: 'EVENT_BUS_NAME of the functions' });
  }
}
