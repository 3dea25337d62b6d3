import { describe, expect, it } from '@jest/globals';
import { parseClientConfig } from './client-config';

describe('parseClientConfig', () => {
  it('reads each provider the gateway names', () => {
    expect(parseClientConfig({ payments: { provider: 'stripe', publishableKey: 'pk_live_Abc123' } })).toEqual({ payments: { provider: 'stripe', publishableKey: 'pk_live_Abc123' } });
    expect(parseClientConfig({ payments: { provider: 'test-methods', publishableKey: 'pk_test_X1', apiUrl: 'http://127.0.0.1:12111/' } })).toEqual({
      payments: { provider: 'test-methods', publishableKey: 'pk_test_X1', apiUrl: 'http://127.0.0.1:12111' },
    });
    expect(parseClientConfig({ payments: { provider: 'none' } })).toEqual({ payments: { provider: 'none' } });
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
      expect([payments, parseClientConfig({ payments })]).toEqual([payments, { payments: { provider: 'none' } }]);
    }
    expect(parseClientConfig(null)).toEqual({ payments: { provider: 'none' } });
  });
});
