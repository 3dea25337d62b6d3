import * as z from 'zod';
import { ValidationError, describeValue } from './errors';

/**
 * RFC 5321 §4.5.3.1: a local part holds at most 64 octets and a forward path at most 256, of which the angle
 * brackets take two: an address longer than 254 characters cannot be delivered to.
 */
export const EMAIL_LIMITS = { total: 254, localPart: 64 } as const;

/**
 * zod's email pattern: the practical subset mail providers accept (letters, digits, `.`, `_`, `'`, `+`, `-` before
 * the `@`, a dotted domain with a top-level domain of letters), rather than everything RFC 5322 allows (quoted local
 * parts, IP literals) that no shop's mail is ever sent to. Internationalised domains are accepted in their ASCII
 * (punycode) form.
 */
const EMAIL = z.email();

/**
 * A contact email address, checked and trimmed; the domain is lower-cased (domains are case-insensitive, RFC 1035
 * §2.3.3) and the local part kept as typed (it may be case-sensitive, RFC 5321 §2.4).
 * @throws ValidationError naming the field and the value.
 */
export function emailAddress(value: string, field = 'email'): string {
  const trimmed = value.trim();
  const at = trimmed.lastIndexOf('@');
  if (trimmed.length > EMAIL_LIMITS.total || at > EMAIL_LIMITS.localPart) {
    throw new ValidationError(
      field,
      `${field} must be at most ${EMAIL_LIMITS.total} characters with at most ${EMAIL_LIMITS.localPart} before the @, got ${describeValue(value)}`,
      { value: trimmed.slice(0, 300) },
    );
  }
  if (!EMAIL.safeParse(trimmed).success) {
    throw new ValidationError(field, `${field} must be an email address such as jane@example.com, got ${describeValue(value)}`, { value: trimmed });
  }
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}
