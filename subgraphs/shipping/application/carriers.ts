import type { Tracking } from '../domain/tracking';

/**
 * Port: what Shipping knows about carriers. From the carrier an admin names and the tracking number they type, it
 * answers the tracking to record: the carrier's usual name ("fedex" is FedEx), the number as the carrier prints it,
 * checked against the carrier's formats where they are known, and the carrier's tracking page for it. A carrier it
 * does not know is allowed, with bounded visible text and no link.
 * @throws ValidationError naming `carrier` or `trackingNumber` and the value.
 */
export interface CarrierDirectory {
  tracking(carrier: string, trackingNumber: string): Tracking;
}
