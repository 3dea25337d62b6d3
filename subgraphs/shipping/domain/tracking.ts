import { guard, visibleText } from '../../../lib/ddd';

/**
 * How a parcel is followed: the carrier's name, its tracking number and, for a carrier whose tracking page is
 * known, the page's address for this number. The carrier directory (application/carriers.ts) builds it from what
 * an admin typed; the bounds here are the event contract's (lib/events/schemas.ts), checked again so that no
 * change can record an event its consumers would refuse.
 */
export interface Tracking {
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly trackingUrl?: string;
}

export const TRACKING_LIMITS = { carrier: 100, trackingNumber: 100, trackingUrl: 2000 } as const;

export function checkedTracking(tracking: Tracking): Tracking {
  const carrier = visibleText('carrier', tracking.carrier, { min: 1, max: TRACKING_LIMITS.carrier });
  const trackingNumber = visibleText('trackingNumber', tracking.trackingNumber, { min: 1, max: TRACKING_LIMITS.trackingNumber });
  if (tracking.trackingUrl === undefined) return { carrier, trackingNumber };
  const trackingUrl = guard.pattern('trackingUrl', guard.text('trackingUrl', tracking.trackingUrl, { min: 1, max: TRACKING_LIMITS.trackingUrl }), /^https:\/\/\S+$/, 'an https URL');
  return { carrier, trackingNumber, trackingUrl };
}

export function sameTracking(a: Tracking, b: Tracking): boolean {
  return a.carrier === b.carrier && a.trackingNumber === b.trackingNumber;
}
