/**
 * The attacker of `npm run bench -- abuse`, in a process of its own: its sending and reading (bodies up to the
 * request size limit, again and again) must not share an event loop with the load generator whose latencies are
 * reported, nor with the subgraphs. Sends the abuse corpus (test/fixtures/abuse) in a loop for the time it is
 * given, from one address (X-Forwarded-For through the trusted loopback proxy), timing each answer on its own
 * clock and checking it is the expected refusal. Driven over IPC.
 */
import { abuseCorpus } from '../test/fixtures/abuse/corpus';

/** The attacker's address; the rate limits count it apart from the ordinary load's. */
export const ATTACKER = '203.0.113.66';

export type AttackerCommand = { readonly type: 'attack'; readonly url: string; readonly durationMs: number; readonly rateLimited: boolean } | { readonly type: 'stop' };
export type AttackerReply = {
  readonly type: 'attacked';
  /** Sent to answered, in nanoseconds, by case name. */
  readonly timesNs: Record<string, number[]>;
  /** Answers that were not the expected refusal (nor, with rate limits on, 429 RATE_LIMITED). */
  readonly wrong: string[];
};

type Refusal = { errors?: { extensions?: { code?: string; details?: { limit?: string } } }[] };

async function attack(url: string, durationMs: number, rateLimited: boolean): Promise<AttackerReply> {
  const bodies = abuseCorpus().map((abuse, index) => ({ abuse, index, body: JSON.stringify(abuse.body) }));
  const timesNs: Record<string, number[]> = {};
  const wrong: string[] = [];
  const until = Date.now() + durationMs;
  while (Date.now() < until) {
    for (const { abuse, index, body } of bodies) {
      const started = process.hrtime.bigint();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-abuse-case': String(index), 'x-forwarded-for': ATTACKER }, body });
      const parsed = (await response.json()) as Refusal;
      const elapsedNs = Number(process.hrtime.bigint() - started);
      const error = parsed.errors?.[0]?.extensions;
      const expected = response.status === abuse.status && error?.code === abuse.code && error.details?.limit === abuse.limit;
      const limited = rateLimited && response.status === 429 && error?.code === 'RATE_LIMITED';
      if (!expected && !limited) wrong.push(`${abuse.name}: ${response.status} ${JSON.stringify(parsed).slice(0, 200)}`);
      (timesNs[abuse.name] ??= []).push(elapsedNs);
    }
  }
  return { type: 'attacked', timesNs, wrong };
}

process.on('message', (command: AttackerCommand) => {
  if (command.type === 'stop') {
    process.disconnect();
    return;
  }
  attack(command.url, command.durationMs, command.rateLimited).then(
    (reply) => process.send?.(reply),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
