import { resolveVariableReferences } from '../aws/variable-references';
import { loadConfig, type LoadConfigOptions } from '../config';
import { mapBundleStackTracesOnDemand } from './lambda-stack-traces';
import { createServiceRuntime, type ServiceRuntime } from './service-runtime';

/**
 * Builds a Lambda container's objects once, outside the handler (the "init phase" reuse the Lambda docs
 * recommend): secrets resolved from Secrets Manager, configuration validated, then the same composition root
 * the local server uses. A failed build is retried by the next invocation instead of poisoning the container.
 *
 * Kept apart from the GraphQL handler (lambda.ts) so that functions without GraphQL (the gateway's fan-out)
 * do not bundle Apollo and its HTTP stack.
 */
export function lambdaContainer<T>(
  service: string,
  build: (runtime: ServiceRuntime) => T | Promise<T>,
  options: LoadConfigOptions = { verifiesTokens: false },
): () => Promise<T> {
  // In a function's bundle, this module's file is the bundle itself: its stack traces map through index.js.map.
  mapBundleStackTracesOnDemand(__filename);
  let built: Promise<T> | undefined;
  return () => {
    built ??= (async () => {
      const env = await resolveVariableReferences(process.env);
      return build(createServiceRuntime(loadConfig(env, options), service));
    })().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };
}
