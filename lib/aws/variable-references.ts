import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { externalSetting, type SettingGroup, type Settings } from '../config/setting';

/**
 * A variable whose value may instead live in an AWS store, named by a reference variable `<NAME><suffix>`:
 * secrets in Secrets Manager (`<NAME>_ARN`), so they never sit in Lambda or task environment variables, and
 * addresses in SSM Parameter Store (`<NAME>_PARAMETER`), for values CloudFormation cannot hand to a function without
 * a dependency cycle (Payments' function URL for Orders: docs/deploy.md).
 */
interface VariableStore {
  readonly suffix: string;
  readonly names: readonly string[];
  /** For docs/configuration.md. */
  readonly doc: {
    readonly group: SettingGroup;
    readonly accepts: string;
    readonly description: (name: string) => string;
  };
  read(clients: ClientLoaders, reference: string, name: string): Promise<string>;
}

/** The AWS clients the stores read with; the default ones use the SDK's usual configuration (region, credentials, endpoints). */
export interface VariableStoreClients {
  readonly secretsManager: Pick<SecretsManagerClient, 'send'>;
  readonly ssm: Pick<SSMClient, 'send'>;
}

/**
 * Each store's client, loaded on first use. The SDK client packages are imported only when a reference to their
 * store is set: every Lambda function loads this module at its cold start, and requiring @aws-sdk/client-ssm alone
 * costs tens of milliseconds there, while only Orders' API function reads a parameter.
 */
type ClientLoaders = { readonly [K in keyof VariableStoreClients]: () => Promise<VariableStoreClients[K]> };

/** Variables whose value may instead come from Secrets Manager through `<NAME>_ARN` (docs/architecture.md §3 and 4 secrets; docs/payments.md for Stripe's). */
export const SECRET_VARIABLES = ['JWT_SECRET', 'GATEWAY_SIGNING_SECRET', 'EVENT_SIGNING_SECRET', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;

/** Variables whose value may instead come from an SSM parameter through `<NAME>_PARAMETER` (docs/deploy.md). */
export const PARAMETER_VARIABLES = ['PAYMENTS_URL'] as const;

const STORES: readonly VariableStore[] = [
  {
    suffix: '_ARN',
    names: SECRET_VARIABLES,
    doc: {
      group: 'identity',
      accepts: 'a Secrets Manager secret ARN',
      description: (name) => `Read \`${name}\` from Secrets Manager at start-up (AWS); \`${name}\` itself, when set, wins.`,
    },
    async read(clients, arn, name) {
      const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      const result = await (await clients.secretsManager()).send(new GetSecretValueCommand({ SecretId: arn }));
      if (!result.SecretString) throw new Error(`${name}_ARN: secret ${arn} has no string value`);
      return result.SecretString;
    },
  },
  {
    suffix: '_PARAMETER',
    names: PARAMETER_VARIABLES,
    doc: {
      group: 'ports',
      accepts: 'an SSM parameter name',
      description: (name) =>
        `Read \`${name}\` from this SSM Parameter Store parameter at start-up (AWS: Orders' API function, see deploy.md); \`${name}\` itself, when set, wins.`,
    },
    async read(clients, parameter, name) {
      const { GetParameterCommand } = await import('@aws-sdk/client-ssm');
      const result = await (await clients.ssm()).send(new GetParameterCommand({ Name: parameter }));
      if (!result.Parameter?.Value) throw new Error(`${name}_PARAMETER: parameter ${parameter} has no value`);
      return result.Parameter.Value;
    },
  },
];

/** Every reference variable (`<NAME>_ARN`, `<NAME>_PARAMETER`), for docs/configuration.md. */
export const variableReferenceSettings: Settings = Object.fromEntries(
  STORES.flatMap((store) =>
    store.names.map((name) => [
      `${name}${store.suffix}`,
      externalSetting({
        group: store.doc.group,
        readBy: 'lib/aws/variable-references.ts (Lambda functions and `run-service.ts`)',
        accepts: store.doc.accepts,
        default: `none: \`${name}\` as set`,
        description: store.doc.description(name),
      }),
    ]),
  ),
);

/**
 * Resolves every reference variable into the variable it names, once per process, before the configuration is
 * read: `<NAME>_ARN` from Secrets Manager, `<NAME>_PARAMETER` from SSM Parameter Store. A plain variable already set
 * wins. Clients are made (and their SDK packages loaded) only when a reference to their store is set, so a local
 * process never touches AWS.
 */
export async function resolveVariableReferences(
  env: Record<string, string | undefined>,
  clients?: VariableStoreClients,
): Promise<Record<string, string | undefined>> {
  const wanted = STORES.flatMap((store) =>
    store.names.flatMap((name) => {
      const reference = env[`${name}${store.suffix}`];
      return reference && !env[name] ? [{ store, name, reference }] : [];
    }),
  );
  if (wanted.length === 0) return { ...env };
  const loaders: ClientLoaders = clients
    ? { secretsManager: () => Promise.resolve(clients.secretsManager), ssm: () => Promise.resolve(clients.ssm) }
    : {
        secretsManager: once(async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({})),
        ssm: once(async () => new (await import('@aws-sdk/client-ssm')).SSMClient({})),
      };
  const values = await Promise.all(wanted.map(({ store, name, reference }) => store.read(loaders, reference, name)));
  return {
    ...env,
    ...Object.fromEntries(wanted.map(({ name }, index) => [name, values[index]])),
  };
}

/** One client per store for all of its references (one connection, one credential resolution). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
