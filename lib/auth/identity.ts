import { ForbiddenError, UnauthenticatedError } from '../ddd';

/** Who is calling: the JWT's `sub` (the customer id) and its roles. `null` stands for an anonymous caller. */
export interface Identity {
  readonly sub: string;
  readonly roles: readonly string[];
}

export type Caller = Identity | null;

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
