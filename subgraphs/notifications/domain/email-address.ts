/**
 * An address an email may be sent to. Orders checks the address when the customer gives it; it is checked again
 * here because this is where it becomes a mail header: anything that could carry a second recipient or a header
 * (commas, angle brackets, quotes, spaces, line breaks) is refused, as is anything non-ASCII (RFC 6531 addresses
 * need SMTPUTF8 on every hop, which is not assumed). Stricter than RFC 5322's grammar, on purpose.
 */
export interface EmailAddress {
  readonly value: string;
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export type ParsedEmailAddress = { readonly ok: true; readonly address: EmailAddress } | { readonly ok: false; readonly problem: string };

/** RFC 5321 §4.5.3.1: a path of at most 256 octets with its angle brackets, a local part of at most 64. */
export function parseEmailAddress(raw: string): ParsedEmailAddress {
  const value = raw.trim();
  if (value.length === 0) return { ok: false, problem: 'the address is empty' };
  if (value.length > 254) return { ok: false, problem: `the address is ${value.length} characters long, more than 254` };
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return { ok: false, problem: 'the address has no local part and domain around an "@"' };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64) return { ok: false, problem: `the local part is ${local.length} characters long, more than 64` };
  if (!LOCAL_PART.test(local)) return { ok: false, problem: 'the local part has characters outside the unquoted ASCII set' };
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) {
    return { ok: false, problem: 'the domain is not a dotted host name of letters, digits and hyphens' };
  }
  // Domains are case-insensitive (RFC 5321 §2.4); the local part is kept as given.
  return { ok: true, address: { value: `${local}@${domain.toLowerCase()}` } };
}
