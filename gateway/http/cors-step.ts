import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import { corsOptions } from '../cors';
import type { HttpStep } from './exchange';

/**
 * The CORS policy of /graphql (CORS_ORIGINS, gateway/cors.ts), from the `cors` package: headers on every answer,
 * and preflight requests answered here.
 */
export function corsStep(origins: readonly string[] | '*'): HttpStep {
  const policy = cors(corsOptions(origins)) as (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
  return ({ req, res }) =>
    new Promise<boolean>((resolve) => {
      let next = false;
      policy(req, res, () => {
        next = true;
        resolve(false);
      });
      // Not handed on: the policy answered a preflight itself.
      if (!next) {
        if (res.writableEnded) resolve(true);
        else res.once('finish', () => resolve(true));
      }
    });
}
