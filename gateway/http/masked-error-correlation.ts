import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../gateway-context';

/**
 * Masked errors name the request's correlation id so a client can quote it (docs/architecture.md §2). The error formatter reads
 * it from the implicit request context, which the lean HTTP route does not set up; this fills it in from the
 * GraphQL context, where the id always is.
 */
export const maskedErrorCorrelation: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
        const correlationId = contextValue.correlationId;
        response.body.singleResult.errors = response.body.singleResult.errors.map((error) => {
          if (error.extensions?.['masked'] !== true || error.extensions['correlationId'] || !correlationId) return error;
          // The formatter logged the error itself; this line ties it to the request for whoever reads the logs.
          contextValue.logger.error({ correlationId, graphqlPath: error.path }, 'request answered with a masked internal error');
          return { ...error, message: `Internal server error (correlation id ${correlationId})`, extensions: { ...error.extensions, correlationId } };
        });
      },
    };
  },
};
