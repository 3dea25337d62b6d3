import { describe, expect, it } from '@jest/globals';
import { ErrorCode, ValidationError } from '../../../lib/ddd';
import { KNOWN_CARRIERS, knownCarriers } from './known-carriers';

function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('the known carriers', () => {
  it.each([
    ['UPS', '1Z999AA10123456784', 'UPS', '1Z999AA10123456784', 'https://www.ups.com/track?tracknum=1Z999AA10123456784'],
    ['ups', ' 1z 999 aa1 0123 456 784 ', 'UPS', '1Z999AA10123456784', 'https://www.ups.com/track?tracknum=1Z999AA10123456784'],
    ['FedEx', '449044304137821', 'FedEx', '449044304137821', 'https://www.fedex.com/fedextrack/?trknbr=449044304137821'],
    ['Federal Express', '123456789012', 'FedEx', '123456789012', 'https://www.fedex.com/fedextrack/?trknbr=123456789012'],
    ['USPS', '7112 3456 7891 2345 6787', 'USPS', '71123456789123456787', 'https://tools.usps.com/go/TrackConfirmAction?tLabels=71123456789123456787'],
    ['usps', 'EE123456785US', 'USPS', 'EE123456785US', 'https://tools.usps.com/go/TrackConfirmAction?tLabels=EE123456785US'],
    ['DHL Express', '3318810025', 'DHL', '3318810025', 'https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=3318810025'],
    ['Royal  Mail', 'ab123456789gb', 'Royal Mail', 'AB123456789GB', 'https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB'],
  ])('%s %p is %s %s, linked to its tracking page', (carrier, number, name, trackingNumber, trackingUrl) => {
    expect(knownCarriers.tracking(carrier, number)).toEqual({ carrier: name, trackingNumber, trackingUrl });
  });

  it.each([
    ['UPS', '1Z999AA10123456785'],
    ['FedEx', '12345'],
    ['USPS', '9400 1000 0000 0000 0000 00'],
    ['DHL', '1234567890'],
  ])('refuses the %s number %p whose format or check digit does not match', (carrier, number) => {
    const error = validationErrorOf(() => knownCarriers.tracking(carrier, number));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.field).toBe('trackingNumber');
    expect(error.message).toBe(
      `trackingNumber ${JSON.stringify(number)} is not a ${carrier} tracking number (its format or check digit does not match); check it, or name the carrier that issued it`,
    );
  });

  it('refuses anything but letters and digits for a known carrier', () => {
    expect(validationErrorOf(() => knownCarriers.tracking('UPS', '1Z999AA1012345678<')).message).toBe(
      'trackingNumber of UPS must be letters and digits (spaces are ignored), got "1Z999AA1012345678<"',
    );
  });

  it('allows a carrier it does not know, keeping name and number as typed, without a link', () => {
    expect(knownCarriers.tracking('  Acme Couriers ', ' acme-42/b ')).toEqual({ carrier: 'Acme Couriers', trackingNumber: 'acme-42/b' });
  });

  it.each([
    ['carrier', '', 'x', 'carrier must be 1-100 characters, got 0 ("")'],
    ['carrier', 'c'.repeat(101), 'x', `carrier must be 1-100 characters, got 101 ("${'c'.repeat(76)}...)`],
    ['trackingNumber', 'Acme', '   ', 'trackingNumber must be 1-100 characters, got 0 ("")'],
    ['trackingNumber', 'Acme', 'A1\u0007', 'trackingNumber must be one line of visible text without control characters, got "A1\\u0007"'],
    ['carrier', 'Acme\u202E', 'A1', 'carrier must be one line of visible text without control characters, got "Acme\u202E"'],
  ])('refuses a bad %s', (field, carrier, number, message) => {
    const error = validationErrorOf(() => knownCarriers.tracking(carrier, number));
    expect([error.field, error.message]).toEqual([field, message]);
  });

  it('knows each carrier by its name and aliases, every link https with the number in it', () => {
    for (const carrier of KNOWN_CARRIERS) {
      expect(carrier.trackingUrl).toMatch(/^https:\/\/[^{}]+\{number\}[^{}]*$/);
      if (carrier.formats.length === 0) expect(knownCarriers.tracking(carrier.name.toUpperCase(), 'a 1').trackingUrl).toBe(carrier.trackingUrl.replace('{number}', 'A1'));
      for (const alias of carrier.aliases) expect(alias).toBe(alias.toLowerCase());
    }
    expect(KNOWN_CARRIERS.map((carrier) => carrier.name)).toEqual(
      expect.arrayContaining(['UPS', 'FedEx', 'USPS', 'DHL', 'Royal Mail', 'Canada Post', 'Australia Post', 'La Poste', 'DPD']),
    );
  });
});
