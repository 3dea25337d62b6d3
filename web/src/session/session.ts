/**
 * Who is signed in: the bearer token and what it says about its holder. The claims are only read here, to
 * label the page and hide what a role cannot use; the gateway verifies every token on every request
 * (docs/architecture.md §3), so a forged token gains nothing but UNAUTHENTICATED errors.
 */
export interface Session {
  readonly token: string;
  readonly sub: string;
  readonly admin: boolean;
  /** Seconds since the epoch, from the `exp` claim. */
  readonly expiresAt: number | undefined;
}

export class TokenFormatError extends Error {}

const JWT = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/;

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Accepts a token as `npm run token` prints it, with or without "Bearer ", surrounding space or quotes. */
export function sessionFromToken(input: string, nowSeconds: number = Date.now() / 1000): Session {
  const token = input.trim().replace(/^["']|["']$/g, '').replace(/^Bearer\s+/i, '').trim();
  const match = JWT.exec(token);
  if (!match?.[1]) throw new TokenFormatError('That is not a token: a token is three dot-separated parts, as `npm run -s token` prints it.');
  let claims: Record<string, unknown>;
  try {
    claims = decodeSegment(match[1]) as Record<string, unknown>;
  } catch {
    throw new TokenFormatError('That token cannot be read: its middle part is not base64url-encoded JSON.');
  }
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub.trim() === '') throw new TokenFormatError('That token names nobody: it has no "sub" claim.');
  const exp = typeof claims['exp'] === 'number' ? claims['exp'] : undefined;
  if (exp !== undefined && exp <= nowSeconds) throw new TokenFormatError(`That token expired at ${new Date(exp * 1000).toISOString()}.`);
  const roles = Array.isArray(claims['roles']) ? claims['roles'] : [];
  return { token, sub, admin: roles.includes('admin'), expiresAt: exp };
}

export const SESSION_KEY = 'shop.session.v1';

/** The stored session, unless it is missing, unreadable or expired. */
export function loadSession(storage: Pick<Storage, 'getItem'>, nowSeconds: number = Date.now() / 1000): Session | undefined {
  const token = storage.getItem(SESSION_KEY);
  if (!token) return undefined;
  try {
    return sessionFromToken(token, nowSeconds);
  } catch {
    return undefined;
  }
}
