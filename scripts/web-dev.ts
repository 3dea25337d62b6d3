/**
 * `npm run web:dev`: the storefront on Vite's dev server (hot reload) on WEB_DEV_PORT, with the API proxied to the
 * gateway at GATEWAY_URL (default http://localhost:<GATEWAY_PORT>: docs/configuration.md). The build settings stay
 * in web/vite.config.mts; the proxy is a development concern and lives here, next to the settings it reads.
 */
import { createLogger, createServer, type HttpProxy, type Logger, type ProxyOptions } from 'vite';
import { ConfigError, gatewayAddress, gatewayUnreachableMessage, unreachableReason, webDevPort } from '../lib/config';

/**
 * A gateway that does not answer is one line naming its URL, and the page gets a GraphQL error that says so
 * (SERVICE_UNAVAILABLE, as the gateway answers when a dependency of its own is down), instead of Vite's stack
 * trace for every request and an empty 502.
 */
function answerUnreachable(gateway: string) {
  return (proxy: HttpProxy.ProxyServer): void => {
    proxy.on('error', (error, _req, res) => {
      if (!('writeHead' in res) || res.headersSent) return;
      const message = gatewayUnreachableMessage(gateway, unreachableReason(error) ?? error.message);
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message, extensions: { code: 'SERVICE_UNAVAILABLE' } }] }));
    });
  };
}

/** Vite's logger, except that a proxy error from an unreachable gateway is said once, with the gateway's URL. */
function gatewayAwareLogger(gateway: string): Logger {
  const logger = createLogger();
  return {
    ...logger,
    error(message, options) {
      const reason = options?.error ? unreachableReason(options.error) : undefined;
      if (reason && message.includes('proxy')) logger.warnOnce(gatewayUnreachableMessage(gateway, reason), { timestamp: true });
      else logger.error(message, options);
    },
  };
}

async function main(): Promise<void> {
  let gateway: string;
  let port: number;
  try {
    gateway = gatewayAddress(process.env).url;
    port = webDevPort(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const route = (ws: boolean): ProxyOptions => ({ target: gateway, ws, changeOrigin: true, configure: answerUnreachable(gateway) });
  const server = await createServer({
    configFile: 'web/vite.config.mts',
    customLogger: gatewayAwareLogger(gateway),
    server: {
      port,
      strictPort: false,
      proxy: { '/graphql': route(true), '/dev/token': route(false), '/graphiql': route(false), '/storefront-config.json': route(false) },
    },
  });
  await server.listen();
  server.printUrls();
  server.config.logger.info(`  ➜  API:     ${gateway}/graphql (GATEWAY_URL)`);
  server.bindCLIShortcuts({ print: true });
}

void main();
