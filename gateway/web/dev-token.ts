import express, { Router } from 'express';
import { decodeJwt } from 'jose';
import * as z from 'zod';
import { signDevToken } from '../../lib/auth';

const DEV_TOKEN_TTL_SECONDS = 3600;

const body = z.object({
  sub: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores'),
  admin: z.boolean().optional(),
});

export interface DevTokenOptions {
  readonly secret: string;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  /** JWT_MAX_TTL_SECONDS: a demo token lives an hour, or less when the gateway accepts no longer-lived tokens. */
  readonly maxTtlSeconds: number;
}

/**
 * POST /dev/token {"sub": "customer-1", "admin": false} -> {"token", "expiresAt"}: what `npm run token` prints,
 * for the storefront's demo sign-in. Mounted only in development and test (gateway/web/index.ts): anyone who can
 * reach it can mint an admin token. Only a JSON body is read, so a cross-site form cannot post to it, and no CORS
 * header lets another origin's script read the answer.
 */
export function devTokenRoutes(options: DevTokenOptions): Router {
  const router = Router();
  router.post('/token', express.json({ limit: '1kb' }), async (req, res) => {
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'send the request as JSON (Content-Type: application/json): {"sub": "customer-1", "admin": false}' });
      return;
    }
    const parsed = body.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      res.status(400).json({ error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` });
      return;
    }
    const { sub, admin = false } = parsed.data;
    const ttlSeconds = Math.min(DEV_TOKEN_TTL_SECONDS, options.maxTtlSeconds);
    const token = await signDevToken({ sub, roles: admin ? ['admin'] : [], ttlSeconds }, options.secret, options);
    res.setHeader('Cache-Control', 'no-store');
    // The token's own `exp`, so the client's idea of its lifetime is exactly the gateway's.
    res.json({ token, expiresAt: new Date((decodeJwt(token).exp ?? 0) * 1000).toISOString() });
  });
  return router;
}
