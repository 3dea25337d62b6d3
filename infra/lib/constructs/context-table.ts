import { CfnOutput } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { TableDefinition } from '../../../lib/dynamodb';
import type { EnvironmentSettings } from '../environments';

export interface ContextTableProps {
  readonly settings: EnvironmentSettings;
  /** The context that owns it: the table is `<prefix><context>`. */
  readonly context: string;
  /** The definition the local bootstrap (`ensureTable`) uses too, so the deployed table cannot drift from it. */
  readonly definition: TableDefinition;
  /** A NEW_IMAGE stream, for a context with an outbox (its relay reads it). */
  readonly stream: boolean;
}

/**
 * A context's own table: on-demand, point-in-time recovery, encrypted with the AWS managed key, TTL when the
 * definition names an attribute, its indexes; deletion protection and RETAIN in prod, DESTROY in dev.
 */
export function contextTable(scope: Construct, id: string, props: ContextTableProps): Table {
  const { settings, context, definition } = props;
  const table = new Table(scope, id, {
    tableName: `${settings.prefix}${context}`,
    partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
    sortKey: { name: definition.sortKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.AWS_MANAGED,
    ...(props.stream ? { stream: StreamViewType.NEW_IMAGE } : {}),
    deletionProtection: settings.deletionProtection,
    removalPolicy: settings.removalPolicy,
    ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
  });
  for (const index of definition.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: AttributeType.STRING },
    });
  }
  new CfnOutput(scope, `${context}TableName`, { value: table.tableName, description: `The ${context} context's table` });
  return table;
}
