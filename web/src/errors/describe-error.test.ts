import { describe, expect, it } from '@jest/globals';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describeErrors } from './describe-error';

const graphQLErrors = (...errors: { message: string; extensions?: Record<string, unknown> }[]) => new CombinedGraphQLErrors({ data: null, errors });

describe('describeErrors', () => {
  it('says each contract code in plain words and keeps the server detail', () => {
    const [unavailable] = describeErrors(
      graphQLErrors({ message: 'product p-1 has 2 in stock, 5 requested', extensions: { code: 'PRODUCT_UNAVAILABLE' } }),
    );
    expect(unavailable).toEqual({
      code: 'PRODUCT_UNAVAILABLE',
      message: 'Not enough stock: a product in your cart is sold out or has fewer units left than you asked for.',
      detail: 'product p-1 has 2 in stock, 5 requested',
    });
    expect(describeErrors(graphQLErrors({ message: 'balance 10, asked 50', extensions: { code: 'INSUFFICIENT_POINTS' } }))[0]?.message).toBe(
      'You do not have enough reward points for that.',
    );
  });

  it('describes every error of a response, unknown codes as a server failure with its reference only', () => {
    const described = describeErrors(
      graphQLErrors(
        { message: 'not allowed', extensions: { code: 'FORBIDDEN' } },
        { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: 'c-42' } },
        { message: 'odd', extensions: { code: 'SOMETHING_NEW' } },
      ),
    );
    expect(described.map((d) => d.code)).toEqual(['FORBIDDEN', 'INTERNAL_SERVER_ERROR', 'SOMETHING_NEW']);
    expect(described[1]).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side. Please try again.', detail: 'Reference: c-42' });
    expect(described[2]?.message).toBe('Something went wrong on our side. Please try again.');
  });

  it('reads a 429 with Retry-After, with or without a GraphQL body', () => {
    const response = new Response('{"errors":[{"message":"slow down","extensions":{"code":"RATE_LIMITED"}}]}', {
      status: 429,
      headers: { 'retry-after': '7', 'content-type': 'application/json' },
    });
    const withBody = describeErrors(new ServerError('429', { response, bodyText: '{"errors":[{"message":"slow down","extensions":{"code":"RATE_LIMITED"}}]}' }));
    expect(withBody).toEqual([{ code: 'RATE_LIMITED', message: 'Too many requests in a short time. Please wait 7 s and try again.', detail: 'slow down' }]);
    const bare = describeErrors(new ServerError('429', { response: new Response('busy', { status: 429 }), bodyText: 'busy' }));
    expect(bare.map((d) => d.code)).toEqual(['RATE_LIMITED']);
  });

  it('names a closed socket and an unreachable gateway', () => {
    expect(describeErrors(new Error('Socket closed with event 4401 Unauthorized'))).toEqual([
      { code: 'UNAUTHENTICATED', message: 'Please sign in: you are signed out or your sign-in has expired.', detail: 'Unauthorized' },
    ]);
    expect(describeErrors(new TypeError('Failed to fetch')).map((d) => d.code)).toEqual(['NETWORK_ERROR']);
  });
});
