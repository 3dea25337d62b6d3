import type { Express } from 'express';
import type { Logger } from '../../../lib/logging';
import type { ProductsRestApi } from './products-rest-api';

/** Serves the framework-neutral REST handler under /products on an Express app. */
export function mountProductsRestApi(app: Express, api: ProductsRestApi, logger: Logger): void {
  // A mount path rather than a `/products/{*rest}` route: Express decodes route parameters before any handler
  // runs, and a malformed escape (`/products/%`) would end on its default error page, stack trace included.
  // The handler reads the raw path and decodes it itself.
  app.use('/products', async (req, res) => {
    try {
      const url = new URL(req.originalUrl, 'http://catalog.local');
      const response = await api({
        method: req.method,
        path: url.pathname,
        query: url.searchParams,
        header: (name) => req.get(name),
      });
      res.status(response.status).set(response.headers);
      res.end(response.body);
    } catch (error) {
      logger.error({ err: error }, 'REST request failed');
      res
        .status(500)
        .set({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
        .end(JSON.stringify({ error: { code: 'INTERNAL_SERVER_ERROR', message: `Internal server error (correlation id ${req.correlationId})` } }));
    }
  });
}
