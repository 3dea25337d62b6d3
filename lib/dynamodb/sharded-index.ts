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
  /**
   * Partition key values the list used before it was sharded (e.g. `PENDING`): never written again, still read
   * by the scatter, so items a kept data directory wrote in the old format stay in the list until rewritten.
   */
  readonly legacyPartitions?: readonly string[];
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

/** Every partition a reader must visit: the shards, then any legacy (pre-sharding) partitions. */
export function readPartitions(list: ShardedList): string[] {
  return [...shardKeys(list), ...(list.legacyPartitions ?? [])];
}

/**
 * Query every shard of `list` for sort keys strictly beyond `bound` (below it when newest first, above it when
 * oldest first) and strictly before `until` (the end of the range in the same direction), `limit` items per
 * shard, and merge them in sort-key order. Sort keys must be unique across the list (they end with the item id),
 * so one sort key is a complete position in the merged list, and the first `limit` merged items are exactly the
 * first `limit` of the whole list.
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
    readonly until?: string | undefined;
  },
): Promise<TRow[]> {
  const { index, newestFirst, bound, until } = query;
  const sortValue = (row: TRow) => String((row as Record<string, unknown>)[index.sortKey]);
  const range = sortKeyRange(newestFirst, bound, until);
  // DynamoDB refuses BETWEEN with its ends reversed; such a range holds nothing anyway.
  if (range.inclusive && range.values[':low']! > range.values[':high']!) return [];
  const perShard = await Promise.all(
    readPartitions(query.list).map(async (partition) => {
      const result = await doc.send(
        new QueryCommand({
          TableName: query.tableName,
          IndexName: index.name,
          KeyConditionExpression: `#p = :p${range.condition}`,
          ExpressionAttributeNames: { '#p': index.partitionKey, ...(range.condition ? { '#s': index.sortKey } : {}) },
          ExpressionAttributeValues: { ':p': partition, ...range.values },
          ScanIndexForward: !newestFirst,
          // BETWEEN includes its ends, which are excluded below: one more keeps `limit` items after that.
          Limit: query.limit + (range.inclusive ? 2 : 0),
        }),
      );
      const rows = (result.Items ?? []) as TRow[];
      return (range.inclusive ? rows.filter((row) => sortValue(row) !== bound && sortValue(row) !== until) : rows).slice(0, query.limit);
    }),
  );
  // Sort keys here are ASCII (ISO timestamps and ids), where code-unit order is DynamoDB's byte order.
  return perShard.flat().sort((a, b) => {
    const [x, y] = [sortValue(a), sortValue(b)];
    const order = x < y ? -1 : x > y ? 1 : 0;
    return newestFirst ? -order : order;
  });
}

/** The sort key part of a shard query: nothing, one exclusive bound, or BETWEEN both (ends filtered out after). */
function sortKeyRange(
  newestFirst: boolean,
  bound: string | undefined,
  until: string | undefined,
): { condition: string; values: Record<string, string>; inclusive: boolean } {
  if (bound !== undefined && until !== undefined) {
    const [low, high] = newestFirst ? [until, bound] : [bound, until];
    return { condition: ' AND #s BETWEEN :low AND :high', values: { ':low': low, ':high': high }, inclusive: true };
  }
  if (bound !== undefined) return { condition: ` AND #s ${newestFirst ? '<' : '>'} :bound`, values: { ':bound': bound }, inclusive: false };
  if (until !== undefined) return { condition: ` AND #s ${newestFirst ? '>' : '<'} :until`, values: { ':until': until }, inclusive: false };
  return { condition: '', values: {}, inclusive: false };
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
