import { describe, expect, it } from '@jest/globals';
import { parseStorefrontConfig } from './storefront-config';

describe('parseStorefrontConfig', () => {
  it('reads each provider the gateway names', () => {
    expect(parseStorefrontConfig({ payments: { provider: 'stripe', publishableKey: 'pk_live_Abc123' } })).toEqual({ payments: { provider: 'stripe', publishableKey: 'pk_live_Abc123' } });
    expect(parseStorefrontConfig({ payments: { provider: 'test-methods', publishableKey: 'pk_test_X1', apiUrl: 'http://127.0.0.1:12111/' } })).toEqual({
      payments: { provider: 'test-methods', publishableKey: 'pk_test_X1', apiUrl: 'http://127.0.0.1:12111' },
    });
    expect(parseStorefrontConfig({ payments: { provider: 'none' } })).toEqual({ payments: { provider: 'none' } });
  });

  it('takes anything malformed as "no card form", never a secret key or a script URL', () => {
    for (const payments of [
      undefined,
      null,
      'stripe',
      { provider: 'stripe' },
      { provider: 'stripe', publishableKey: 'sk_live_Secret1' },
      { provider: 'test-methods', publishableKey: 'pk_test_X1' },
      { provider: 'test-methods', publishableKey: 'pk_test_X1', apiUrl: 'javascript:alert(1)' },
      { provider: 'paypal', publishableKey: 'pk_test_X1' },
    ]) {
      expect([payments, parseStorefrontConfig({ payments })]).toEqual([payments, { payments: { provider: 'none' } }]);
    }
    expect(parseStorefrontConfig(null)).toEqual({ payments: { provider: 'none' } });
  });
});
