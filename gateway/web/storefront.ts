import { Router, type Response } from 'express';
import type { PaymentContentSources } from '../../lib/config';
import { storefrontHeaders } from './security-headers';
import { plainError, staticFiles } from './static-files';

/** Paths the gateway serves itself; a page request for one of them that nothing answered is a 404, not the shop. */
const NOT_PAGES = /^\/(graphql|graphiql|dev|health|metrics)(\/|$)/;
/** Page paths are the shop's routes: no file extension in the last segment. */
const HAS_EXTENSION = /\.[^/]*$/;

function notBuilt(res: Response): void {
  plainError(res, 503, 'The storefront is not built yet. `npm start` builds it before starting; or run `npm run web:build`.');
}

/**
 * The storefront (web/dist) at `/`: hashed assets under /assets cached for a year as immutable, and the one
 * page, index.html, for every page path (the shop routes in the browser), revalidated on each visit. Unknown
 * assets are 404 rather than the page, so a stale or mistyped asset URL never caches HTML as JavaScript.
 */
export function storefrontRoutes(root: string, payments: PaymentContentSources): Router {
  const files = staticFiles(root);
  const router = Router();
  router.use(storefrontHeaders(payments));
  router.use(files.assets);
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_PAGES.test(req.path) || HAS_EXTENSION.test(req.path)) {
      next();
      return;
    }
    if (!files.built()) {
      notBuilt(res);
      return;
    }
    req.url = '/index.html';
    files.serve(req, res, next);
  });
  return router;
}
