/**
 * The one way tests wait: poll an observable outcome until it holds or a deadline passes. Tests never sleep a
 * fixed time and hope something happened (docs/architecture.md §7): a fixed sleep is too short on a loaded
 * machine and too long on a quiet one. The deadline only bounds the wait; a passing test returns as soon as
 * the outcome is seen.
 *
 * `description` names what was awaited in the failure; pass a function to describe the state at the deadline
 * (e.g. how many results had arrived) rather than at the start.
 */

export type WaitDescription = string | (() => string);

/** Long enough for a shared, loaded 2-core machine; far below jest's 60 s test timeout. */
export const DEFAULT_WAIT_MS = 15_000;
const DEFAULT_EVERY_MS = 20;

export interface WaitOptions {
  /** How long to keep polling before failing. */
  readonly timeoutMs?: number;
  /** The pause between polls. */
  readonly everyMs?: number;
}

/**
 * Polls until `condition` holds, failing with `description` at the deadline. An error thrown by `condition`
 * fails the wait at once: it is a broken test, not an outcome still to come.
 */
export async function waitFor(description: WaitDescription, condition: () => boolean | Promise<boolean>, timeoutMs = DEFAULT_WAIT_MS, everyMs = DEFAULT_EVERY_MS): Promise<void> {
  await poll(description, async () => ((await condition()) ? true : undefined), { timeoutMs, everyMs }, false);
}

/**
 * Polls `probe` until it returns a value other than `undefined`, and returns that value. A probe that throws is
 * polled again (the thing it reads may not be up yet); at the deadline the wait fails with the last error.
 */
export async function waitForValue<T>(description: WaitDescription, probe: () => T | undefined | Promise<T | undefined>, options: WaitOptions = {}): Promise<T> {
  return poll(description, probe, options, true);
}

/** Resolves after `ms`: the pause between polls, and nothing else a test should wait on. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function poll<T>(description: WaitDescription, probe: () => T | undefined | Promise<T | undefined>, options: WaitOptions, retryErrors: boolean): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof description === 'function' ? description() : description}${reason}`, { cause: lastError });
    }
    await pause(options.everyMs ?? DEFAULT_EVERY_MS);
  }
}
