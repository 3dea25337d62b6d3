import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

/**
 * Event envelopes are signed (docs/architecture.md §4, issue 9): whoever can write to a stream (a Redis client without our
 * secret, a replayed or edited dead letter) cannot make a consumer act. The signature is
 *
 *   signature = "v1=" + base64url(HMAC-SHA256(EVENT_SIGNING_SECRET, JCS(envelope without "signature")))
 *
 * where JCS is the JSON Canonicalization Scheme (RFC 8785: sorted keys, no whitespace, ECMAScript number text).
 * Every field but the signature is covered, present and future alike (an order `version` in data, trace context
 * in the envelope), so a field added later needs no change here, and a field removed or altered in transit fails
 * verification. External producers on a Redis bus sign the same way; on EventBridge, IAM and the bus policy
 * decide who may put events, and a signature, when present, is still verified.
 */
export const SIGNATURE_FIELD = 'signature';

const VERSION_PREFIX = 'v1=';

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function mac(secret: string, unsigned: Record<string, unknown>): Buffer {
  return createHmac('sha256', secret).update(canonicalize(unsigned)).digest();
}

/** The envelope as it travels (JSON data: what JSON.stringify keeps), signed. */
export function signEnvelope(envelope: object, secret: string): Record<string, unknown> {
  const wire = JSON.parse(JSON.stringify(envelope)) as Record<string, unknown>;
  delete wire[SIGNATURE_FIELD];
  return { ...wire, [SIGNATURE_FIELD]: `${VERSION_PREFIX}${mac(secret, wire).toString('base64url')}` };
}

/** The JSON text to put on a wire for `envelope`: signed, every field kept. */
export function signedEventBody(envelope: object, secret: string): string {
  return JSON.stringify(signEnvelope(envelope, secret));
}

/** Checks the signature of an envelope as received (parsed JSON, before any schema strips or coerces a field). */
export function verifyEnvelopeSignature(received: unknown, secret: string): SignatureCheck {
  if (typeof received !== 'object' || received === null || Array.isArray(received)) {
    return { ok: false, reason: 'unsigned event: not a JSON object' };
  }
  const { [SIGNATURE_FIELD]: signature, ...unsigned } = received as Record<string, unknown>;
  if (signature === undefined) return { ok: false, reason: 'unsigned event: the envelope has no signature' };
  if (typeof signature !== 'string' || !signature.startsWith(VERSION_PREFIX)) {
    return { ok: false, reason: `forged event: unknown signature format ${JSON.stringify(String(signature).slice(0, 12))}` };
  }
  const given = Buffer.from(signature.slice(VERSION_PREFIX.length), 'base64url');
  const expected = mac(secret, unsigned);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'forged or altered event: the signature does not match the envelope' };
  }
  return { ok: true };
}

/** Whether a received envelope carries a signature at all (EventBridge verifies only those that do). */
export function isSigned(received: unknown): boolean {
  return typeof received === 'object' && received !== null && SIGNATURE_FIELD in received;
}
