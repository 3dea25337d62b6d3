import * as z from 'zod';

function portOf(raw: string, ctx: z.RefinementCtx): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `must be a port number between 0 and 65535, got ${JSON.stringify(raw)}` });
    return z.NEVER;
  }
  return port;
}

/**
 * What a reader accepts, in words, for docs/configuration.md (lib/config/setting.ts). Kept in a zod registry beside
 * the schema it describes, so a reader and its documentation cannot be separated.
 */
export const readerInfo = z.registry<{ readonly accepts: string }>();

function described<S extends z.ZodType>(schema: S, accepts: string): S {
  readerInfo.add(schema, { accepts });
  return schema;
}

function text(): z.ZodType<string | undefined, string | undefined>;
function text(fallback: string): z.ZodType<string, string | undefined>;
function text(fallback?: string): z.ZodType<string | undefined, string | undefined> {
  return described(
    z
      .string()
      .optional()
      .transform((raw) => (raw === undefined || raw.trim() === '' ? fallback : raw.trim())),
    'text',
  );
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number] | undefined, string | undefined>;
function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]): z.ZodType<T[number], string | undefined>;
function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback?: T[number]): z.ZodType<T[number] | undefined, string | undefined> {
  return described(
    z
      .string()
      .optional()
      .transform((raw, ctx): T[number] | undefined => {
        if (raw === undefined || raw === '') return fallback;
        if (!values.includes(raw)) {
          ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}` });
          return z.NEVER;
        }
        return raw;
      }),
    values.map((value) => `\`${value}\``).join(', '),
  );
}

/**
 * Reusable zod readers for environment variables. Every reader produces a message that names what was
 * expected and the value it got; `loadConfig` prefixes it with the variable's name. A reader given a fallback
 * returns it when the variable is unset or empty, and docs/configuration.md shows it as the default.
 */
export const env = {
  port: (fallback: number) =>
    described(
      z
        .string()
        .optional()
        .transform((raw, ctx) => (raw === undefined || raw === '' ? fallback : portOf(raw, ctx))),
      'a port (0: any free port)',
    ),

  /** A port that may be left unset (a listener that exists only when asked for). */
  optionalPort: () =>
    described(
      z
        .string()
        .optional()
        .transform((raw, ctx) => (raw === undefined || raw.trim() === '' ? undefined : portOf(raw, ctx))),
      'a port (0: any free port)',
    ),

  positiveInt: (fallback: number) =>
    described(
      z
        .string()
        .optional()
        .transform((raw, ctx) => {
          if (raw === undefined || raw === '') return fallback;
          const value = Number(raw);
          if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value <= 0) {
            ctx.addIssue({ code: 'custom', message: `must be a positive integer, got ${JSON.stringify(raw)}` });
            return z.NEVER;
          }
          return value;
        }),
      'a positive integer',
    ),

  url: (protocols: readonly string[]) =>
    described(
      z
        .string()
        .optional()
        .transform((raw, ctx) => {
          if (raw === undefined || raw === '') return undefined;
          let parsed: URL;
          try {
            parsed = new URL(raw);
          } catch {
            ctx.addIssue({ code: 'custom', message: `must be a URL (${protocols.join(' or ')}), got ${JSON.stringify(raw)}` });
            return z.NEVER;
          }
          if (!protocols.includes(parsed.protocol.replace(/:$/, '')) || parsed.hostname === '') {
            ctx.addIssue({
              code: 'custom',
              message: `must be a ${protocols.join(' or ')} URL with a host, got ${JSON.stringify(raw)}`,
            });
            return z.NEVER;
          }
          return raw;
        }),
      `a URL (${protocols.join(' or ')})`,
    ),

  /** One of `values`; with a fallback, that value when unset. */
  oneOf,

  /** Trimmed text; unset or blank is undefined, or the fallback when given. */
  text,

  /**
   * The value exactly as set, not trimmed: for settings where a look-alike must not pass for the real word
   * (NODE_ENV " development" is not development). Unset stays undefined; an empty value is a value.
   */
  verbatim: () => described(z.string().optional(), 'text, exactly as set (not trimmed)'),

  boolean: (fallback: boolean) =>
    described(
      z
        .string()
        .optional()
        .transform((raw, ctx) => {
          if (raw === undefined || raw === '') return fallback;
          if (/^(1|true|yes|on)$/i.test(raw)) return true;
          if (/^(0|false|no|off)$/i.test(raw)) return false;
          ctx.addIssue({ code: 'custom', message: `must be true or false, got ${JSON.stringify(raw)}` });
          return z.NEVER;
        }),
      '`on` or `off` (also true/false, yes/no, 1/0)',
    ),

  /** A reader written for one setting (a list with its own syntax), with what it accepts in words. */
  custom: described,
};

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses `source` with `schema`, turning every issue into "VARIABLE: what was wrong" lines. */
export function parseEnv<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`));
}
