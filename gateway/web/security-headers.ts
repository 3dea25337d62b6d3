import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { PaymentContentSources } from '../../lib/config';

type Directives = Record<string, string[]>;

/** What every page the gateway serves shares; each page adds the sources it needs. */
function pageHeaders(directives: Directives): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        ...directives,
      },
    },
    // Cross-origin isolation would block nothing these pages use, but also buys nothing: left to defaults.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // HSTS belongs to whoever terminates TLS in front of the gateway; on plain-HTTP localhost it is harmful.
    strictTransportSecurity: false,
  });
}

/**
 * Headers of the storefront. Its policy allows its own origin and, for paying, the payment provider's: scripts and
 * styles are files of the build (no inline code, no eval), the API and its WebSocket are same-origin (CSP Level 3:
 * 'self' also matches ws:/wss: of the same host), Stripe.js and its frames or the emulator's API only where the
 * storefront config names them (lib/config/storefront-config.ts), and no other site may frame it.
 */
export function storefrontHeaders(payments: PaymentContentSources): RequestHandler {
  const withSelf = (sources: readonly string[]) => ["'self'", ...sources];
  return pageHeaders({
    scriptSrc: withSelf(payments.scriptSrc),
    connectSrc: withSelf(payments.connectSrc),
    ...(payments.frameSrc.length > 0 ? { frameSrc: [...payments.frameSrc] } : {}),
    styleSrc: ["'self'"],
    fontSrc: ["'self'"],
    manifestSrc: ["'self'"],
    formAction: ["'self'"],
  });
}

/**
 * GraphiQL (development only): the editor (Monaco) sets inline styles, ships its icon font, and runs its
 * language services in workers, so styles may be inline, fonts data: URLs and workers blob: URLs; scripts still
 * only from the gateway.
 */
export function graphiqlHeaders(): RequestHandler {
  return pageHeaders({ styleSrc: ["'self'", "'unsafe-inline'"], fontSrc: ["'self'", 'data:'], workerSrc: ["'self'", 'blob:'] });
}
