import { canonicalize } from 'json-canonicalize';
import { idempotencyMismatch, invalidRequest } from './errors';
import type { ParamObject } from './params';

/** A saved answer: what the first request with the key was, and what it got. */
export interface SavedAnswer {
  readonly endpoint: string;
  readonly fingerprint: string;
  readonly status: number;
  readonly body: string;
  readonly requestId: string;
  readonly savedAt: number;
}

/** Stripe keeps keys for at least 24 hours, then may forget them (https://docs.stripe.com/api/idempotent_requests). */
const RETENTION_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

export type IdempotencyLookup = { readonly kind: 'new' } | { readonly kind: 'replay'; readonly answer: SavedAnswer };

/**
 * Stripe's idempotent requests: the first POST with a key saves its status and body; a repeat with the same
 * endpoint and parameters gets that answer again (and the header `Idempotent-Replayed: true`), whatever happened
 * since; the same key with another endpoint or other parameters is refused with `idempotency_error`. Parameters
 * compare as data, so their order in the body does not matter. One account, so one key space.
 */
export class IdempotencyStore {
  private readonly answers = new Map<string, SavedAnswer>();

  /** Throws Stripe's error for a key reused with another request; otherwise says whether to run or replay. */
  lookup(key: string, endpoint: string, params: ParamObject): IdempotencyLookup {
    if (key.length > MAX_KEY_LENGTH) throw invalidRequest(`Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters long, but the one given is ${key.length}.`);
    this.forgetExpired(Date.now());
    const saved = this.answers.get(key);
    if (!saved) return { kind: 'new' };
    if (saved.endpoint !== endpoint) {
      throw idempotencyMismatch(`Keys for idempotent requests can only be used for the same endpoint they were first used for ('${saved.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`);
    }
    if (saved.fingerprint !== fingerprint(params)) {
      throw idempotencyMismatch(`Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
    }
    return { kind: 'replay', answer: saved };
  }

  save(key: string, endpoint: string, params: ParamObject, answer: { status: number; body: string; requestId: string }): void {
    this.answers.set(key, { endpoint, fingerprint: fingerprint(params), ...answer, savedAt: Date.now() });
  }

  reset(): void {
    this.answers.clear();
  }

  private forgetExpired(now: number): void {
    // Insertion order is age order, so the scan stops at the first key still young enough.
    for (const [key, answer] of this.answers) {
      if (now - answer.savedAt < RETENTION_MS) break;
      this.answers.delete(key);
    }
  }
}

const fingerprint = (params: ParamObject): string => canonicalize(params);
