import { InvalidEventError, parseEnvelope, type AnyEventEnvelope } from './envelope';
import { verifyEnvelopeSignature } from './event-signature';

export type ReceivedEvent =
  | { readonly ok: true; readonly envelope: AnyEventEnvelope }
  | {
      readonly ok: false;
      readonly eventId: string | undefined;
      readonly reason: string;
      /** The signature did not verify: forged, altered or unsigned (see rejectionLog). */
      readonly unauthenticated?: true;
    };

/**
 * Receipt-side checks shared by the transports that carry envelopes as JSON text (docs/architecture.md §4: "validated on
 * receipt"). An event is accepted only when it is JSON, its signature verifies over exactly what arrived (before
 * the schema strips or coerces anything), it matches its schema, and it is of the type it was routed as;
 * anything else is reported (never thrown) so the transport dead-letters it instead of retrying it forever.
 */
export function readReceivedEvent(body: string, deliveredAs: string, signingSecret: string): ReceivedEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, eventId: undefined, reason: `invalid event: body is not JSON (${(error as Error).message})` };
  }
  const eventId = idOf(json);
  const signature = verifyEnvelopeSignature(json, signingSecret);
  if (!signature.ok) return { ok: false, eventId, reason: signature.reason, unauthenticated: true };
  try {
    const envelope = parseEnvelope(json);
    if (envelope.type !== deliveredAs) {
      return { ok: false, eventId, reason: `invalid event: a ${envelope.type} envelope was delivered as ${deliveredAs}` };
    }
    return { ok: true, envelope };
  } catch (error) {
    if (error instanceof InvalidEventError) return { ok: false, eventId, reason: error.message };
    throw error;
  }
}

/** The warn line every transport writes for an event whose signature does not verify, before dead-lettering it. */
export const UNAUTHENTICATED_EVENT_LOG = 'rejected an event whose signature does not verify (forged, altered or unsigned); dead-lettering it';

function idOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const id = (json as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id.slice(0, 200) : undefined;
}
