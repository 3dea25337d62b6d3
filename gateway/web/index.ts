import type { Express } from 'express';
import { storefrontConfig, paymentContentSources, type AppConfig } from '../../lib/config';
import { storefrontConfigRoutes } from './storefront-config';
import { devTokenRoutes } from './dev-token';
import { graphiqlRoutes } from './graphiql';
import { storefrontRoutes } from './storefront';

export interface WebOptions {
  /** The storefront's build (web/dist). */
  readonly storefrontRoot: string;
  /** GraphiQL's build (web/dist-graphiql). */
  readonly graphiqlRoot: string;
}

/**
 * Development conveniences (GraphiQL, demo tokens) exist only where the development defaults may apply: NODE_ENV
 * development or test (lib/config/secrets-policy.ts); anything else, unset included, is production.
 */
export function developmentTools(config: Pick<AppConfig, 'production'>): boolean {
  return !config.production;
}

/**
 * The gateway's web routes, mounted after its API: GraphiQL at /graphiql and demo tokens at /dev/token in
 * development and test (in any other mode both are 404), and the storefront at / with its run-time settings at
 * /storefront-config.json always.
 */
export function mountWeb(app: Express, config: Pick<AppConfig, 'production' | 'jwt' | 'stripe'>, options: WebOptions): void {
  if (developmentTools(config)) {
    app.use('/graphiql', graphiqlRoutes(options.graphiqlRoot));
    // With JWT_JWKS_URL, tokens come from the identity provider: there is no local key to sign with.
    if (config.jwt.secret) {
      app.use(
        '/dev',
        devTokenRoutes({ secret: config.jwt.secret, issuer: config.jwt.issuer, audience: config.jwt.audience, maxTtlSeconds: config.jwt.maxTtlSeconds }),
      );
    }
  }
  const storefront = storefrontConfig(config);
  app.use(storefrontConfigRoutes(storefront));
  app.use(storefrontRoutes(options.storefrontRoot, paymentContentSources(storefront.payments)));
}
