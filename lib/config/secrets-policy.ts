/**
 * When the development defaults may stand in for real secrets, and what a real secret must look like.
 *
 * Fail closed (docs/architecture.md §3): only `NODE_ENV=development` or `test`, spelled exactly, may run with the
 * public development values. Every other value (`production`, `staging`, `prod`, `Production`...) and an unset
 * NODE_ENV need real secrets, so a process started bare (`node dist/run-service.js`, a container or a Lambda
 * whose environment lost a variable) never runs with keys anyone can read in this repository. `npm start`,
 * `npm run token`, `npm run rewards:expire` and the tests set NODE_ENV themselves.
 */
export const DEVELOPMENT_ENVIRONMENTS: readonly string[] = ['development', 'test'];

/** 256 bits of HMAC key as base64 or hex text is 43-64 characters; 32 is the floor that still means "random". */
export const MIN_SECRET_LENGTH = 32;

export const DEV_JWT_SECRET = 'dev-only-jwt-secret-do-not-use-in-production';
export const DEV_SIGNING_SECRET = 'dev-only-gateway-signing-secret-do-not-use-in-production';
export const DEV_EVENT_SIGNING_SECRET = 'dev-only-event-signing-secret-do-not-use-in-production';

const DEVELOPMENT_SECRETS: ReadonlySet<string> = new Set([DEV_JWT_SECRET, DEV_SIGNING_SECRET, DEV_EVENT_SIGNING_SECRET]);

/**
 * Compared as set, never trimmed or case-folded: `" development"`, `"test\n"` or `"Development"` come from a
 * broken template or a stray quote in a deployment file, and a mistake must fail closed, not open.
 */
export function usesDevelopmentDefaults(nodeEnv: string | undefined): boolean {
  return nodeEnv !== undefined && DEVELOPMENT_ENVIRONMENTS.includes(nodeEnv);
}

/** How NODE_ENV reads in a message: its value, or that it is unset. */
export function describeNodeEnv(nodeEnv: string | undefined): string {
  return nodeEnv === undefined ? 'NODE_ENV is not set' : `NODE_ENV is ${JSON.stringify(nodeEnv)}`;
}

/**
 * The problem with a secret outside development, or undefined when it is acceptable. Never echoes the value:
 * messages end up in logs.
 */
export function secretProblem(name: string, value: string | undefined, nodeEnv: string | undefined, alternative?: string): string | undefined {
  const why = `${describeNodeEnv(nodeEnv)} (development defaults apply only with NODE_ENV=development or test)`;
  if (value === undefined) return `${name}: is required because ${why}${alternative ? `; or set ${alternative}` : ''}`;
  if (DEVELOPMENT_SECRETS.has(value)) return `${name}: must not be a development default because ${why}`;
  if (value.length < MIN_SECRET_LENGTH) {
    return `${name}: must be at least ${MIN_SECRET_LENGTH} characters because ${why}, got ${value.length}`;
  }
  return undefined;
}
