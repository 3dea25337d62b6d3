const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A moment as HH:MM on a 24-hour clock in the viewer's time zone (or `timeZone`): "pay by 14:05". Hours and minutes
 * only, since a payment deadline is minutes away; hourCycle h23 so every locale shows 00-23 and no AM/PM.
 */
export function formatClockTime(iso: string, timeZone?: string): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const key = timeZone ?? '';
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
    formatters.set(key, formatter);
  }
  return formatter.format(date);
}
