import { createHmac } from 'node:crypto';

/**
 * Stripe's webhook signature (https://docs.stripe.com/webhooks#verify-manually): `t=<unix seconds>,v1=<hex>` where the
 * hex is HMAC-SHA256, keyed with the endpoint's whole `whsec_...` secret, over `<t>.<raw body>`. Each attempt is
 * signed when it is sent, so a retry hours later still passes the receiver's timestamp tolerance.
 */
export function signatureHeader(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}
