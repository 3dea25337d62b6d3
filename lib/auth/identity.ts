import { ForbiddenError, UnauthenticatedError } from '../ddd';

/** Who is calling: the JWT's `sub` (the customer id) and its roles. `null` stands for an anonymous caller. */
export interface Identity {
  readonly sub: string;
  readonly roles: readonly string[];
}

export type Caller = Identity | null;

/**
 * What a caller's `sub` and roles may hold. They travel to the subgraphs in HTTP headers (which cannot carry
 * control characters or anything beyond Latin-1, and whose surrounding whitespace a receiver trims: RFC 9110
 * 5.5), key DynamoDB rows, and name cache entries and log lines; roles travel comma-joined. So: visible ASCII
 * only (0x21-0x7E), bounded, and no comma in a role (`"customer,admin"` would arrive as two roles). Every
 * subject identity providers issue fits (`auth0|5f7c...`, UUIDs, `google-oauth2|1048...`, e-mail addresses).
 */
export const MAX_SUB_LENGTH = 200;
export const MAX_ROLES = 50;
export const MAX_ROLE_LENGTH = 100;

const SUB = new RegExp(`^[\\x21-\\x7e]{1,${MAX_SUB_LENGTH}}$`);
const ROLE = new RegExp(`^[\\x21-\\x2b\\x2d-\\x7e]{1,${MAX_ROLE_LENGTH}}$`);

export const SUB_RULE = `1 to ${MAX_SUB_LENGTH} visible ASCII characters (letters, digits, punctuation; no spaces or control characters)`;
export const ROLES_RULE = `an array of at most ${MAX_ROLES} roles, each 1 to ${MAX_ROLE_LENGTH} visible ASCII characters without commas`;

export function isWellFormedSub(sub: unknown): sub is string {
  return typeof sub === 'string' && SUB.test(sub);
}

export function isWellFormedRoles(roles: unknown): roles is readonly string[] {
  return Array.isArray(roles) && roles.length <= MAX_ROLES && roles.every((role) => typeof role === 'string' && ROLE.test(role));
}

export const ADMIN_ROLE = 'admin';

export function isAdmin(caller: Caller): boolean {
  return caller !== null && caller.roles.includes(ADMIN_ROLE);
}

export function requireAuthenticated(caller: Caller, action: string): Identity {
  if (caller === null) throw new UnauthenticatedError(`you must be signed in to ${action}: send Authorization: Bearer <token>`);
  return caller;
}

export function requireAdmin(caller: Caller, action: string): Identity {
  const identity = requireAuthenticated(caller, action);
  if (!isAdmin(identity)) throw new ForbiddenError(`only an admin may ${action}`);
  return identity;
}
