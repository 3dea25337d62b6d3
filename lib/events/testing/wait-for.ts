/**
 * Polls until `condition` holds, failing with `description` at the deadline: tests wait for an outcome
 * instead of sleeping a fixed time and hoping it happened.
 */
export async function waitFor(description: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
