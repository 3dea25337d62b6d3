import { createHash } from 'node:crypto';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../ddd';
import { cursor } from './cursor';
import type { IndexDefinition } from './table-definition';

/**
 * Write sharding for a list that every write of a kind appends to (all orders, all pending outbox rows).
 * One GSI partition takes about 1,000 writes per second; spreading the list over N partitions
 * (`<list>#0` ... `<list>#N-1`, the shard chosen by a stable hash of the item's id) multiplies that by N, and a
 * reader scatters over the N partitions and merges (DynamoDB developer guide, "Using write sharding to
 * distribute workloads evenly").
 */
export interface ShardedList {
  /** The list's name, also the prefix of its partition key values. */
  readonly name: string;
  readonly shards: number;
}

/** The shard of an item: a stable hash of its id, so rewriting an item keeps it in its partition. */
export function shardOf(id: string, shards: number): number {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shards must be a positive integer, got ${shards}`);
  return createHash('sha1').update(id).digest().readUInt32BE(0) % shards;
}

/** The partition key value of the shard that holds `id`. */
export function shardKey(list: ShardedList, id: string): string {
  return `${list.name}#${shardOf(id, list.shards)}`;
}

/** Every partition key value of the list, one per shard. */
export function shardKeys(list: ShardedList): string[] {
  return Array.from({ length: list.shards }, (_, shard) => `${list.name}#${shard}`);
}

/**
 * Query every shard of `list` for sort keys strictly beyond `bound` (below it when newest first, above it when
 * oldest first), `limit` items per shard, and merge them in sort-key order. Sort keys must be unique across the
 * list (they end with the item id), so one sort key is a complete position in the merged list.
 */
export async function queryShards<TRow extends object>(
  doc: DynamoDBDocumentClient,
  query: {
    readonly tableName: string;
    readonly index: IndexDefinition;
    readonly list: ShardedList;
    readonly newestFirst: boolean;
    readonly limit: number;
    readonly bound?: string | undefined;
  },
): Promise<TRow[]> {
  const { index, newestFirst, bound } = query;
  const perShard = await Promise.all(
    shardKeys(query.list).map(async (partition) => {
      const result = await doc.send(
        new QueryCommand({
          TableName: query.tableName,
          IndexName: index.name,
          KeyConditionExpression: bound === undefined ? '#p = :p' : `#p = :p AND #s ${newestFirst ? '<' : '>'} :bound`,
          ExpressionAttributeNames: { '#p': index.partitionKey, ...(bound === undefined ? {} : { '#s': index.sortKey }) },
          ExpressionAttributeValues: { ':p': partition, ...(bound === undefined ? {} : { ':bound': bound }) },
          ScanIndexForward: !newestFirst,
          Limit: query.limit,
        }),
      );
      return (result.Items ?? []) as TRow[];
    }),
  );
  const sortValue = (row: TRow) => String((row as Record<string, unknown>)[index.sortKey]);
  // Sort keys here are ASCII (ISO timestamps and ids), where code-unit order is DynamoDB's byte order.
  return perShard.flat().sort((a, b) => {
    const [x, y] = [sortValue(a), sortValue(b)];
    const order = x < y ? -1 : x > y ? 1 : 0;
    return newestFirst ? -order : order;
  });
}

/**
 * One Relay page of a sharded list: `first + 1` items from each shard after the cursor's position, merged; the
 * extra item tells whether another page exists. The cursor is the last item's sort key, bound to this list, so
 * a cursor from another list is BAD_USER_INPUT rather than a jump into other data.
 */
export async function queryShardedIndexPage<TRow extends object, TNode>(
  doc: DynamoDBDocumentClient,
  query: {
    readonly tableName: string;
    readonly index: IndexDefinition;
    readonly list: ShardedList;
    readonly page: PageRequest;
    readonly newestFirst?: boolean;
    readonly toNode: (row: TRow) => TNode;
  },
): Promise<Page<TNode>> {
  const { index, list, page } = query;
  const start = cursor.decode(page.after, { attributes: ['list', index.sortKey], fixed: { list: list.name } });
  const rows = await queryShards<TRow>(doc, {
    tableName: query.tableName,
    index,
    list,
    newestFirst: query.newestFirst ?? false,
    limit: page.first + 1,
    bound: start?.[index.sortKey],
  });
  return {
    edges: rows.slice(0, page.first).map((row) => ({
      node: query.toNode(row),
      // A GSI holds only items that carry its key attributes, so every row has its sort key.
      cursor: cursor.encode({ list: list.name, [index.sortKey]: String((row as Record<string, unknown>)[index.sortKey]) }),
    })),
    hasNextPage: rows.length > page.first,
  };
}
