import { ValidationError, describeValue } from './errors';
import { guard } from './guard';

/**
 * Characters no human-entered text field needs and that are used to hide or disguise text: C0/C1 controls
 * (newlines, NUL, ESC...), the line and paragraph separators, the bidirectional embedding, override and isolate
 * controls that reorder what a reader sees ("Trojan Source", CVE-2021-42574), and lone surrogates (not text at
 * all: they cannot be encoded as UTF-8). Printable letters of every script, including the joiners some scripts and
 * emoji need, stay allowed.
 */
const INVISIBLE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;

export interface VisibleTextRule {
  readonly min?: number;
  readonly max: number;
}

/**
 * One line of text a person typed (a name, a street, a tracking number): NFC-normalised (so "é" typed two ways is
 * one value), trimmed, of `min`-`max` characters, without control characters. Throws a
 * ValidationError naming the field and the value.
 */
export function visibleText(field: string, value: string, { min = 0, max }: VisibleTextRule): string {
  const text = value.normalize('NFC').trim();
  if (INVISIBLE.test(text)) {
    throw new ValidationError(field, `${field} must be one line of visible text without control characters, got ${describeValue(value)}`, {
      value: text.slice(0, 200),
    });
  }
  return guard.text(field, text, { min, max });
}
