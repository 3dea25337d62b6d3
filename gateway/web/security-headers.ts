import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Headers of the pages the gateway serves. The storefront's policy allows nothing but its own origin: scripts
 * and styles are files of the build (no inline code, no eval), the API and its WebSocket are same-origin
 * (CSP Level 3: 'self' also matches ws:/wss: of the same host), and no other site may frame it.
 */
export function storefrontHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Cross-origin isolation would block nothing the shop uses, but also buys nothing: left to defaults.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // HSTS belongs to whoever terminates TLS in front of the gateway; on plain-HTTP localhost it is harmful.
    strictTransportSecurity: false,
  });
}

/**
 * GraphiQL (development only): the editor (Monaco) sets inline styles and runs its language services in
 * workers, so styles may be inline and workers may come from blob: URLs; scripts still only from the gateway.
 */
export function graphiqlHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: false,
  });
}
