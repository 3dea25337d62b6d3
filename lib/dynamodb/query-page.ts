import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../ddd';
import { cursor } from './cursor';
import type { IndexDefinition } from './table-definition';

/**
 * One page of a global secondary index partition, as a Relay page: items in sort-key order (newest first with
 * `newestFirst`), each with the opaque cursor that resumes right after it. The `after` cursor must belong to this
 * index and partition (a cursor from another list is BAD_USER_INPUT, never a silent jump elsewhere).
 */
export async function queryIndexPage<TRow extends object, TNode>(
  doc: DynamoDBDocumentClient,
  query: {
    readonly tableName: string;
    readonly index: IndexDefinition;
    readonly partition: string;
    readonly page: PageRequest;
    readonly newestFirst?: boolean;
    readonly toNode: (row: TRow) => TNode;
  },
): Promise<Page<TNode>> {
  const { index, partition, page } = query;
  const keyAttributes = ['pk', 'sk', index.partitionKey, index.sortKey];
  const start = cursor.decode(page.after, { attributes: keyAttributes, fixed: { [index.partitionKey]: partition } });
  const result = await doc.send(
    new QueryCommand({
      TableName: query.tableName,
      IndexName: index.name,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': index.partitionKey },
      ExpressionAttributeValues: { ':p': partition },
      ExclusiveStartKey: start,
      ScanIndexForward: !query.newestFirst,
      // One more than asked tells whether another page exists without a second round trip.
      Limit: page.first + 1,
    }),
  );
  const rows = (result.Items ?? []) as TRow[];
  return {
    edges: rows.slice(0, page.first).map((row) => ({
      node: query.toNode(row),
      cursor: cursor.encode(Object.fromEntries(keyAttributes.map((attribute) => [attribute, String((row as Record<string, unknown>)[attribute])]))),
    })),
    hasNextPage: rows.length > page.first,
  };
}
