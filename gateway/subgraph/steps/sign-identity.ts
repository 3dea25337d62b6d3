import { signRequest } from '../../../lib/auth';
import { bodyOf, type FetchStep } from '../fetch-step';

/**
 * Signs the caller onto each subgraph request: the one place identity is signed (docs/architecture.md §3). The
 * signature covers the method, the path and the exact body bytes, so the body is serialised here, once, and the
 * headers are good for this fetch only. An anonymous caller sends no identity.
 */
export function signIdentity(secret: string): FetchStep {
  const paths = new Map<string, string>();
  const pathOf = (url: string): string => {
    let path = paths.get(url);
    if (path === undefined) {
      const parsed = new URL(url);
      path = `${parsed.pathname}${parsed.search}`;
      paths.set(url, path);
    }
    return path;
  };
  return (next) => (request) => {
    if (request.caller === null) return next(request);
    const body = bodyOf(request);
    const identity = signRequest({ caller: request.caller, method: 'POST', path: pathOf(request.url), body }, secret);
    return next({ ...request, body, headers: { ...request.headers, ...identity } });
  };
}
