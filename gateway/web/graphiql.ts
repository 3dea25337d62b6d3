import { Router } from 'express';
import { graphiqlHeaders } from './security-headers';
import { plainError, staticFiles } from './static-files';

/**
 * GraphiQL at /graphiql, bundled from npm into web/dist-graphiql (web/graphiql/), so the explorer works without
 * internet access; development only (gateway/web/index.ts).
 */
export function graphiqlRoutes(root: string): Router {
  const files = staticFiles(root);
  const router = Router();
  router.use(graphiqlHeaders());
  router.use(files.assets);
  router.get('/', (req, res, next) => {
    if (!files.built()) {
      plainError(res, 503, 'GraphiQL is not built yet. `npm start` builds it before starting; or run `npm run web:build`.');
      return;
    }
    req.url = '/index.html';
    files.serve(req, res, next);
  });
  return router;
}
