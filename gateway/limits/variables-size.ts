/**
 * The size of a request's `variables` as JSON characters (close to what they took on the wire), counted without
 * building a string and stopping as soon as `max` is passed, so a huge value costs no more than `max` steps.
 * Iterative, so a deeply nested value cannot exhaust the stack. Returns a value above `max` when stopped early.
 */
export function variablesSize(variables: unknown, max: number): number {
  let size = 0;
  const pending: unknown[] = [variables];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || value === undefined) size += 4;
    else if (typeof value === 'string') size += value.length + 2;
    else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') size += String(value).length;
    else if (Array.isArray(value)) {
      size += 2;
      for (const item of value) {
        size += 1;
        if (size > max) return size;
        pending.push(item);
      }
    } else if (typeof value === 'object') {
      size += 2;
      const record = value as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        size += key.length + 4;
        if (size > max) return size;
        pending.push(record[key]);
      }
    }
    if (size > max) return size;
  }
  return size;
}
