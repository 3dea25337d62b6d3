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
 * Reusable zod readers for environment variables. Every reader produces a message that names what was
 * expected and the value it got; `loadConfig` prefixes it with the variable's name.
 */
export const env = {
  port: (fallback: number) =>
    z
      .string()
      .optional()
      .transform((raw, ctx) => (raw === undefined || raw === '' ? fallback : portOf(raw, ctx))),

  /** A port that may be left unset (a listener that exists only when asked for). */
  optionalPort: () =>
    z
      .string()
      .optional()
      .transform((raw, ctx) => (raw === undefined || raw.trim() === '' ? undefined : portOf(raw, ctx))),

  positiveInt: (fallback: number) =>
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

  url: (protocols: readonly string[]) =>
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

  oneOf: <const T extends readonly [string, ...string[]]>(values: T) =>
    z
      .string()
      .optional()
      .transform((raw, ctx): T[number] | undefined => {
        if (raw === undefined || raw === '') return undefined;
        if (!values.includes(raw)) {
          ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}` });
          return z.NEVER;
        }
        return raw;
      }),

  text: () =>
    z
      .string()
      .optional()
      .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim())),

  /**
   * The value exactly as set, not trimmed: for settings where a look-alike must not pass for the real word
   * (NODE_ENV " development" is not development). Unset stays undefined; an empty value is a value.
   */
  verbatim: () => z.string().optional(),

  boolean: (fallback: boolean) =>
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
