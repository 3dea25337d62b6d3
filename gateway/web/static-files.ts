import { existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import type { RequestHandler, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';

/** Vite names every built asset after a hash of its content: a URL never changes meaning, so it may be cached for good. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Pages must be revalidated on each visit, so a new build's asset names reach browsers at once. */
export const REVALIDATE = 'no-cache';

export interface StaticFiles {
  /** Serves the request's path from the directory (precompressed .br/.gz copies when the client accepts them). */
  readonly serve: RequestHandler;
  /**
   * Hashed assets: requests under /assets/ answered from the build, or 404 (never the page) when unknown. Mounted
   * with router.use(files.assets), not under '/assets', which would strip the prefix the files are found under.
   */
  readonly assets: RequestHandler;
  /** Whether the build is there at all. */
  built(): boolean;
}

/**
 * A Vite build served with its precompressed copies: files under assets/ immutable, anything else (the page)
 * revalidated. express-static-gzip indexes the copies when it is created, so the handler is made again when the
 * build changes (index.html's modification time), which lets a running gateway pick up `npm run web:build`.
 */
export function staticFiles(root: string): StaticFiles {
  const assets = join(root, 'assets') + sep;
  const index = join(root, 'index.html');
  let cached: RequestHandler | undefined;
  let builtAt = -1;
  let checkedAt = 0;

  const current = (): RequestHandler | undefined => {
    const now = Date.now();
    if (cached && now - checkedAt < 1000) return cached;
    checkedAt = now;
    const mtime = existsSync(index) ? statSync(index).mtimeMs : -1;
    if (mtime < 0) return undefined;
    if (!cached || mtime !== builtAt) {
      builtAt = mtime;
      cached = expressStaticGzip(root, {
        enableBrotli: true,
        orderPreference: ['br', 'gzip'],
        index: false,
        serveStatic: {
          index: false,
          dotfiles: 'ignore',
          fallthrough: true,
          // Cache-Control is decided here, not by serve-static's maxAge.
          cacheControl: false,
          setHeaders: (res: ServerResponse, path: string) => res.setHeader('Cache-Control', path.startsWith(assets) ? IMMUTABLE : REVALIDATE),
        },
      }) as RequestHandler;
    }
    return cached;
  };

  const serve: RequestHandler = (req, res, next) => {
    const handler = current();
    if (!handler) {
      next();
      return;
    }
    void handler(req, res, next);
  };
  return {
    serve,
    assets: (req, res, next) => {
      if (!req.path.startsWith('/assets/')) {
        next();
        return;
      }
      void serve(req, res, () => notFound(res, 'No such asset.'));
    },
    built: () => current() !== undefined,
  };
}

/** A plain-text answer that no cache keeps (a later build may add what is missing). */
export function plainError(res: Response, status: number, message: string): void {
  res.status(status).setHeader('Cache-Control', 'no-store').type('text/plain').send(`${message}\n`);
}

export function notFound(res: Response, message: string): void {
  plainError(res, 404, message);
}
