import { InvalidEventError, parseEnvelope, type AnyEventEnvelope } from './envelope';
import { isSigned, verifyEnvelopeSignature } from './event-signature';
import { eventBridgeSource } from './eventbridge-entry';

/**
 * What EventBridge hands a rule's Lambda target: its own event structure around the `Detail` that was put
 * (the envelope), parsed back into an object ("Amazon EventBridge events", EventBridge user guide).
 */
export interface EventBridgeDelivery {
  readonly 'detail-type': string;
  readonly source: string;
  readonly detail: unknown;
  readonly id?: string;
  readonly time?: string;
  readonly account?: string;
  readonly region?: string;
  readonly resources?: readonly string[];
  readonly version?: string;
}

/**
 * Turns an EventBridge delivery into a validated envelope (docs/architecture.md §4: validated on receipt). The outer
 * `source` and `detail-type` must agree with the envelope, so a rule matching on them cannot be fooled by a
 * mislabelled event. Throws InvalidEventError: the Lambda then fails the delivery and EventBridge sends it to
 * the target's dead-letter queue after its retries.
 *
 * Who may put events on the bus is decided by IAM and the bus policy (infra/), so an unsigned envelope is
 * accepted here (an external producer such as payments); one that carries a signature must verify with
 * `signingSecret`, so an envelope of ours altered on the way is refused.
 */
export function envelopeFromEventBridge(delivery: EventBridgeDelivery, signingSecret: string): AnyEventEnvelope {
  if (typeof delivery !== 'object' || delivery === null) {
    throw new InvalidEventError(['EventBridge delivery: expected an object with source, detail-type and detail']);
  }
  const detail = typeof delivery.detail === 'string' ? parseDetail(delivery.detail) : delivery.detail;
  if (isSigned(detail)) {
    const signature = verifyEnvelopeSignature(detail, signingSecret);
    if (!signature.ok) throw new InvalidEventError([signature.reason]);
  }
  const envelope = parseEnvelope(detail);
  const problems: string[] = [];
  if (delivery['detail-type'] !== envelope.type) {
    problems.push(`detail-type: ${JSON.stringify(delivery['detail-type'])} does not match the envelope type ${envelope.type}`);
  }
  const expectedSource = eventBridgeSource(envelope.source);
  if (delivery.source !== expectedSource) {
    problems.push(`source: ${JSON.stringify(delivery.source)} does not match ${expectedSource} of the envelope`);
  }
  if (problems.length > 0) throw new InvalidEventError(problems);
  return envelope;
}

function parseDetail(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidEventError([`detail: not JSON (starts ${JSON.stringify(text.slice(0, 40))})`]);
  }
}
