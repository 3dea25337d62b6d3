/** setTimeout's longest delay (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Runs `action` at the wall-clock time `epochMs` (at once when it has passed), re-arming across setTimeout's
 * maximum delay, so a subscription ends when its caller's token expires however long the token lives.
 */
export function atTime(epochMs: number, action: () => void): { cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const delay = epochMs - Date.now();
    if (delay <= 0) {
      timer = undefined;
      action();
      return;
    }
    timer = setTimeout(arm, Math.min(delay, MAX_DELAY_MS));
    timer.unref();
  };
  arm();
  return {
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
