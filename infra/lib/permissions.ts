import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';

/**
 * What a context's use cases and consumers issue on its own table, and nothing more: item and batched reads,
 * queries on the table and its indexes, and conditional puts. Every write of the application is a Put, alone or
 * in TransactWriteItems (aggregate + outbox rows + processed-event record), and DynamoDB authorizes each item of
 * a transaction as the single-item action it performs, so PutItem covers them.
 */
export const APPLICATION_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem'] as const;

/**
 * Catalog's stock holds, releases and sales are TransactWriteItems of Update actions on product rows (the
 * available and reserved figures change in place, conditionally), which DynamoDB authorizes as UpdateItem.
 */
export const CATALOG_STOCK_TABLE_ACTIONS = [...APPLICATION_TABLE_ACTIONS, 'dynamodb:UpdateItem'] as const;

/**
 * The outbox relay on the table's stream: it deletes the rows it published (BatchWriteItem of deletes) and parks
 * a row whose event no longer validates (UpdateItem). Reading the stream is granted by the event source.
 */
export const RELAY_TABLE_ACTIONS = ['dynamodb:BatchWriteItem', 'dynamodb:UpdateItem'] as const;

/** Grants `actions` on the table (and on its indexes when `indexes`: queries run on GSIs). */
export function grantTableActions(fn: IFunction, table: ITable, actions: readonly string[], options: { indexes: boolean }): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [...actions],
      resources: options.indexes ? [table.tableArn, `${table.tableArn}/index/*`] : [table.tableArn],
    }),
  );
}

/**
 * The function reads the secret once per container (lib/aws/variable-references.ts resolves `<NAME>_ARN`): GetSecretValue on
 * that secret alone, not the DescribeSecret that `grantRead` adds.
 */
export function grantSecretValue(fn: IFunction, secret: ISecret): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
}
