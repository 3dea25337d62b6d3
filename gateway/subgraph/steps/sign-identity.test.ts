import { describe, expect, it } from '@jest/globals';
import { verifyRequest } from '../../../lib/auth';
import { subgraphRequest, recordingNext } from '../testing/fetches';
import { signIdentity } from './sign-identity';

const SECRET = 'sign-identity-test-secret-0123456789abcdef';

describe('signIdentity', () => {
  it('signs the caller over the exact body it serialises, for this subgraph path only', async () => {
    const next = recordingNext();
    const caller = { sub: 'customer-1', roles: ['admin'] };
    await signIdentity(SECRET)(next)(subgraphRequest({ caller, url: 'http://127.0.0.1:4001/graphql?x=1' }));
    const sent = next.requests[0]!;
    expect(sent.body).toBe(JSON.stringify({ query: sent.query, variables: {} }));
    expect(verifyRequest(sent.headers!, { method: 'POST', path: '/graphql?x=1', body: sent.body! }, SECRET)).toEqual({ status: 'verified', identity: caller });
    expect(verifyRequest(sent.headers!, { method: 'POST', path: '/graphql?x=1', body: `${sent.body} ` }, SECRET)).toMatchObject({ status: 'rejected' });
    expect(verifyRequest(sent.headers!, { method: 'POST', path: '/other', body: sent.body! }, SECRET)).toMatchObject({ status: 'rejected' });
  });

  it('sends no identity for an anonymous caller', async () => {
    const next = recordingNext();
    await signIdentity(SECRET)(next)(subgraphRequest({ caller: null }));
    expect(next.requests[0]!.headers).toBeUndefined();
  });
});
