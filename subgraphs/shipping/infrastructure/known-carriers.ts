import { allCouriers, getTracking, type TrackingCourier } from 'ts-tracking-number';
import { ValidationError, describeValue, visibleText } from '../../../lib/ddd';
import type { CarrierDirectory } from '../application/carriers';
import { TRACKING_LIMITS, type Tracking } from '../domain/tracking';

interface KnownCarrier {
  /** How the carrier is named on labels and in emails. */
  readonly name: string;
  /** Other names an admin may type for it, lower case. */
  readonly aliases: readonly string[];
  /**
   * The formats its tracking numbers follow, by courier code of the tracking_number_data set (`ts-tracking-number`):
   * pattern and check digit per service. Empty: the formats are not known (domestic postal numbers vary), so any
   * bounded visible text is taken.
   */
  readonly formats: readonly string[];
  /** The carrier's public tracking page; `{number}` is replaced by the URL-encoded tracking number. */
  readonly trackingUrl: string;
}

/**
 * Well-known carriers and their public tracking pages. USPS also carries UPU S10 numbers (international mail, e.g.
 * Priority Mail Express International: EE123456785US).
 */
export const KNOWN_CARRIERS: readonly KnownCarrier[] = [
  { name: 'UPS', aliases: ['ups', 'united parcel service'], formats: ['ups'], trackingUrl: 'https://www.ups.com/track?tracknum={number}' },
  { name: 'FedEx', aliases: ['fedex', 'federal express'], formats: ['fedex'], trackingUrl: 'https://www.fedex.com/fedextrack/?trknbr={number}' },
  {
    name: 'USPS',
    aliases: ['usps', 'united states postal service', 'us postal service'],
    formats: ['usps', 's10'],
    trackingUrl: 'https://tools.usps.com/go/TrackConfirmAction?tLabels={number}',
  },
  {
    name: 'DHL',
    aliases: ['dhl', 'dhl express'],
    formats: ['dhl'],
    trackingUrl: 'https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}',
  },
  { name: 'Amazon Logistics', aliases: ['amazon', 'amazon logistics', 'amazon shipping'], formats: ['amazon'], trackingUrl: 'https://track.amazon.com/tracking/{number}' },
  { name: 'OnTrac', aliases: ['ontrac'], formats: ['ontrac'], trackingUrl: 'https://www.ontrac.com/tracking/?number={number}' },
  { name: 'Royal Mail', aliases: ['royal mail', 'royalmail'], formats: [], trackingUrl: 'https://www.royalmail.com/track-your-item#/tracking-results/{number}' },
  {
    name: 'Canada Post',
    aliases: ['canada post', 'postes canada'],
    formats: [],
    trackingUrl: 'https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}',
  },
  { name: 'Australia Post', aliases: ['australia post', 'auspost'], formats: [], trackingUrl: 'https://auspost.com.au/mypost/track/details/{number}' },
  { name: 'La Poste', aliases: ['la poste', 'colissimo'], formats: [], trackingUrl: 'https://www.laposte.fr/outils/suivre-vos-envois?code={number}' },
  { name: 'DPD', aliases: ['dpd'], formats: [], trackingUrl: 'https://tracking.dpd.de/status/en_US/parcel/{number}' },
];

const COURIERS = new Map(allCouriers.map((courier) => [courier.courier_code, courier]));

function couriersOf(carrier: KnownCarrier): TrackingCourier[] {
  return carrier.formats.map((code) => {
    const courier = COURIERS.get(code);
    // A renamed courier code in a new version of the data set must fail at start-up, not accept every number.
    if (!courier) throw new Error(`ts-tracking-number has no courier ${code} (carrier ${carrier.name})`);
    return courier;
  });
}

const BY_ALIAS = new Map(KNOWN_CARRIERS.flatMap((carrier) => [carrier.name.toLowerCase(), ...carrier.aliases].map((alias) => [alias, { carrier, couriers: couriersOf(carrier) }] as const)));

/**
 * The carrier directory from the table above. A known carrier's number is compared without spaces and in upper case
 * (how carriers print them), checked against its formats and check digits when they are known, and linked to its
 * tracking page; an unknown carrier keeps its name and number as typed (trimmed), without a link.
 */
export const knownCarriers: CarrierDirectory = {
  tracking(carrierInput: string, numberInput: string): Tracking {
    const typedCarrier = visibleText('carrier', carrierInput, { min: 1, max: TRACKING_LIMITS.carrier });
    const typedNumber = visibleText('trackingNumber', numberInput, { min: 1, max: TRACKING_LIMITS.trackingNumber });
    const known = BY_ALIAS.get(typedCarrier.toLowerCase().replace(/\s+/g, ' '));
    if (!known) return { carrier: typedCarrier, trackingNumber: typedNumber };
    const { carrier, couriers } = known;
    const compact = typedNumber.replace(/\s+/g, '').toUpperCase();
    if (!/^[A-Z0-9]+$/.test(compact)) {
      throw new ValidationError('trackingNumber', `trackingNumber of ${carrier.name} must be letters and digits (spaces are ignored), got ${describeValue(numberInput)}`, {
        value: typedNumber,
        carrier: carrier.name,
      });
    }
    const trackingNumber = couriers.length === 0 ? compact : getTracking(compact, couriers)?.trackingNumber;
    if (trackingNumber === undefined) {
      throw new ValidationError(
        'trackingNumber',
        `trackingNumber ${describeValue(numberInput)} is not a ${carrier.name} tracking number (its format or check digit does not match); check it, or name the carrier that issued it`,
        { value: typedNumber, carrier: carrier.name },
      );
    }
    return { carrier: carrier.name, trackingNumber, trackingUrl: carrier.trackingUrl.replace('{number}', encodeURIComponent(trackingNumber)) };
  },
};
