import { describe, expect, it } from '@jest/globals';
import { signDevToken } from '../../../lib/auth';
import { loadSession, SESSION_KEY, sessionFromToken, TokenFormatError } from './session';

describe('sessionFromToken', () => {
  it('reads who a development token stands for, pasted as npm run token prints it', async () => {
    const token = await signDevToken({ sub: 'customer-1', ttlSeconds: 600 }, 'x'.repeat(40));
    const session = sessionFromToken(`  Bearer ${token}\n`);
    expect(session).toMatchObject({ token, sub: 'customer-1', admin: false });
    expect(session.expiresAt).toBeGreaterThan(Date.now() / 1000 + 500);
    const admin = await signDevToken({ sub: 'admin-1', roles: ['admin'] }, 'x'.repeat(40));
    expect(sessionFromToken(`"${admin}"`)).toMatchObject({ sub: 'admin-1', admin: true });
  });

  it('says what is wrong with something that is not a usable token', async () => {
    expect(() => sessionFromToken('hello')).toThrow(TokenFormatError);
    expect(() => sessionFromToken('a.b.c')).toThrow('That token cannot be read');
    const expired = await signDevToken({ sub: 'c', ttlSeconds: 1 }, 'x'.repeat(40));
    expect(() => sessionFromToken(expired, Date.now() / 1000 + 10)).toThrow(/^That token expired at /);
    const noSub = `e30.${Buffer.from('{"roles":[]}').toString('base64url')}.sig`;
    expect(() => sessionFromToken(noSub)).toThrow('That token names nobody');
  });

  it('forgets a stored token once it has expired', async () => {
    const token = await signDevToken({ sub: 'c', ttlSeconds: 60 }, 'x'.repeat(40));
    const storage = { getItem: (key: string) => (key === SESSION_KEY ? token : null) };
    expect(loadSession(storage)?.sub).toBe('c');
    expect(loadSession(storage, Date.now() / 1000 + 120)).toBeUndefined();
  });
});
