import type { Logger as ApolloLogger } from '@apollo/utils.logger';
import type { Logger } from '../logging';

/** Apollo's logger interface over pino, so Apollo internals log as structured JSON with the correlation id. */
export function apolloLogger(logger: Logger): ApolloLogger {
  return {
    debug: (message: unknown) => logger.debug(String(message)),
    info: (message: unknown) => logger.info(String(message)),
    warn: (message: unknown) => logger.warn(String(message)),
    error: (message: unknown) => logger.error(String(message)),
  };
}
