import type { CorsOptions } from 'cors';

/**
 * CORS of the GraphQL endpoint from CORS_ORIGINS: `*` lets any page call it (the development default), a list
 * lets those origins only, and none (the default outside development and test) sends no CORS headers, so browsers
 * allow same-origin pages only. Credentials travel in the Authorization header, never in cookies, so no
 * `Access-Control-Allow-Credentials`.
 */
export function corsOptions(origins: readonly string[] | '*'): CorsOptions {
  if (origins === '*') return { origin: '*' };
  if (origins.length === 0) return { origin: false };
  const allowed = new Set(origins);
  return { origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)), maxAge: 600 };
}
