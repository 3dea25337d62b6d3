import { GraphQLScalarType, Kind } from 'graphql';
import { ValidationError } from '../ddd';

function toIso(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${String(value)}`);
  return date.toISOString();
}

function parse(value: unknown): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new ValidationError('DateTime', `DateTime must be an ISO 8601 string, got ${JSON.stringify(value)}`);
  }
  return new Date(value).toISOString();
}

/** ISO 8601 timestamps (docs/architecture.md §2); resolvers may return a Date or an ISO string. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 date-time with offset, e.g. 2026-01-31T12:00:00.000Z.',
  serialize: toIso,
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
});
