import { Router } from 'express';
import type { StorefrontConfig } from '../../lib/config';
import { REVALIDATE } from './static-files';

/** Where the storefront reads its run-time settings; same origin, so no CORS and the page's `connect-src 'self'`. */
export const STOREFRONT_CONFIG_PATH = '/storefront-config.json';

/**
 * GET /storefront-config.json: the storefront's public settings (lib/config/storefront-config.ts), revalidated on each
 * visit like the page itself, since a deployment may change them without a new build.
 */
export function storefrontConfigRoutes(config: StorefrontConfig): Router {
  const router = Router();
  const body = JSON.stringify(config);
  router.get(STOREFRONT_CONFIG_PATH, (_req, res) => {
    res.setHeader('Cache-Control', REVALIDATE);
    res.type('application/json').send(body);
  });
  return router;
}
