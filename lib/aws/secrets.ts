import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { externalSetting, type Settings } from '../config/setting';

/** Variables whose value may instead come from Secrets Manager through `<NAME>_ARN` (docs/architecture.md §3 and 4 secrets; docs/payments.md for Stripe's). */
export const SECRET_VARIABLES = ['JWT_SECRET', 'GATEWAY_SIGNING_SECRET', 'EVENT_SIGNING_SECRET', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;

/** `<NAME>_ARN` of each secret, for docs/configuration.md. */
export const secretArnSettings: Settings = Object.fromEntries(
  SECRET_VARIABLES.map((name) => [
    `${name}_ARN`,
    externalSetting({
      group: 'identity',
      readBy: 'lib/aws/secrets.ts (Lambda functions and `run-service.ts`)',
      accepts: 'a Secrets Manager secret ARN',
      default: `none: \`${name}\` as set`,
      description: `Read \`${name}\` from Secrets Manager at start-up (AWS); \`${name}\` itself, when set, wins.`,
    }),
  ]),
);

/**
 * Resolves `<NAME>_ARN` (each of SECRET_VARIABLES) into `<NAME>`, once per
 * process, so secrets never sit in Lambda or task environment variables. A plain variable already set wins.
 */
export async function resolveSecretVariables(
  env: Record<string, string | undefined>,
  client: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({}),
): Promise<Record<string, string | undefined>> {
  const resolved = { ...env };
  await Promise.all(
    SECRET_VARIABLES.map(async (name) => {
      const arn = env[`${name}_ARN`];
      if (!arn || env[name]) return;
      const result = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      if (!result.SecretString) throw new Error(`${name}_ARN: secret ${arn} has no string value`);
      resolved[name] = result.SecretString;
    }),
  );
  return resolved;
}
