import { ORDERS_SERVICE, internalCommandKey, verifyRequest, type SignedRequestTarget } from '../../../lib/auth';
import { ForbiddenError, UnauthenticatedError } from '../../../lib/ddd';

export type InternalHeaders = Parameters<typeof verifyRequest>[0];

/**
 * The one place Catalog checks who sends an internal command: the Orders service's identity, signed with the
 * internal command key (lib/auth/internal-commands.ts) over this very request (method, path and exact body, within
 * the signing window: lib/auth/signed-request.ts). Anything else is refused before the command runs.
 */
export function internalCommandVerifier(
  gatewaySigningSecret: string,
  windowSeconds: number,
): (headers: InternalHeaders, target: SignedRequestTarget) => void {
  const key = internalCommandKey(gatewaySigningSecret);
  return (headers, target) => {
    const verification = verifyRequest(headers, target, key, { windowSeconds });
    if (verification.status === 'anonymous') throw new UnauthenticatedError('internal commands need a signed service identity');
    if (verification.status === 'rejected') throw new UnauthenticatedError(`the service identity is not valid: ${verification.reason}`);
    const { identity } = verification;
    if (identity.sub !== ORDERS_SERVICE.sub || !ORDERS_SERVICE.roles.every((role) => identity.roles.includes(role))) {
      throw new ForbiddenError(`${identity.sub} may not hold stock`);
    }
  };
}
