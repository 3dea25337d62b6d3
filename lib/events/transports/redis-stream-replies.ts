/**
 * Readers for the replies of the stream commands (RESP2 arrays as iovalkey returns them). They check the
 * shape instead of casting, so a protocol surprise is a clear error in the read loop rather than a crash
 * further down.
 */
export interface StreamEntry {
  readonly stream: string;
  readonly id: string;
  /** Null when the entry was trimmed away while still pending (Redis 6.2 reports such entries with no fields). */
  readonly fields: Readonly<Record<string, string>> | null;
}

/** `XREADGROUP` reply: `[[stream, [[id, [field, value, ...]], ...]], ...]`, or null when the block timed out. */
export function readGroupEntries(reply: unknown): StreamEntry[] {
  if (reply === null || reply === undefined) return [];
  const entries: StreamEntry[] = [];
  for (const streamReply of asArray(reply, 'XREADGROUP reply')) {
    const [stream, streamEntries] = asArray(streamReply, 'XREADGROUP stream');
    entries.push(...entryList(asString(stream, 'stream key'), streamEntries));
  }
  return entries;
}

/** `XAUTOCLAIM` reply: `[nextCursor, [[id, fields], ...], deletedIds?]` (the third element since Redis 7). */
export function autoClaimEntries(stream: string, reply: unknown): { next: string; entries: StreamEntry[] } {
  const [next, claimed] = asArray(reply, 'XAUTOCLAIM reply');
  return { next: asString(next, 'XAUTOCLAIM cursor'), entries: entryList(stream, claimed) };
}

/** `XRANGE` reply: `[[id, [field, value, ...]], ...]`. */
export function rangeEntries(stream: string, reply: unknown): StreamEntry[] {
  return entryList(stream, reply);
}

/** `XCLAIM` reply: `[[id, fields], ...]` (entries trimmed meanwhile come back as nil before Redis 7). */
export function claimEntries(stream: string, reply: unknown): StreamEntry[] {
  return entryList(stream, reply);
}

/** Extended `XPENDING` reply: `[[id, consumer, idleMs, deliveries], ...]`, as deliveries by id. */
export function pendingDeliveries(reply: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of asArray(reply, 'XPENDING reply')) {
    const [id, , , deliveries] = asArray(row, 'XPENDING row');
    counts.set(asString(id, 'XPENDING id'), Number(deliveries));
  }
  return counts;
}

function entryList(stream: string, value: unknown): StreamEntry[] {
  const entries: StreamEntry[] = [];
  for (const item of asArray(value ?? [], 'stream entries')) {
    if (item === null) continue;
    const [id, rawFields] = asArray(item, 'stream entry');
    entries.push({ stream, id: asString(id, 'entry id'), fields: rawFields === null ? null : fieldMap(rawFields) });
  }
  return entries;
}

function fieldMap(value: unknown): Record<string, string> {
  const flat = asArray(value, 'entry fields');
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[asString(flat[i], 'field name')] = asString(flat[i + 1], 'field value');
  return fields;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`unexpected Redis reply: ${what} is not an array`);
  return value;
}

function asString(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  throw new TypeError(`unexpected Redis reply: ${what} is not a string`);
}
