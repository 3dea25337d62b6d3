import { describe, expect, it } from '@jest/globals';
import { emailAddress } from './email';
import { ErrorCode, ValidationError } from './errors';

function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('emailAddress', () => {
  it('trims and lower-cases the domain, keeping the local part as typed', () => {
    expect(emailAddress('  Jane.Doe+shop@Example.COM ')).toBe('Jane.Doe+shop@example.com');
    expect(emailAddress("o'brien@xn--bcher-kva.example")).toBe("o'brien@xn--bcher-kva.example");
  });

  it.each(['jane', 'jane@', '@example.com', 'jane@example', 'a..b@example.com', '.jane@example.com', '"jane doe"@example.com', 'jane@[127.0.0.1]', 'jane@exa mple.com', 'jane\n@example.com'])(
    'refuses %p, naming the field and the value',
    (value) => {
      const error = validationErrorOf(() => emailAddress(value, 'input.email'));
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.field).toBe('input.email');
      expect(error.message).toBe(`input.email must be an email address such as jane@example.com, got ${JSON.stringify(value)}`);
    },
  );

  it('refuses a local part over 64 characters and an address over 254 (RFC 5321)', () => {
    expect(emailAddress(`${'a'.repeat(64)}@example.com`)).toHaveLength(76);
    const longLocal = validationErrorOf(() => emailAddress(`${'a'.repeat(65)}@example.com`));
    expect(longLocal.message).toBe(`email must be at most 254 characters with at most 64 before the @, got "${'a'.repeat(65)}@example.com"`);
    const domain = `${'d'.repeat(60)}.`.repeat(4);
    expect(`jane@xy${domain}com`).toHaveLength(254);
    expect(emailAddress(`jane@xy${domain}com`)).toBe(`jane@xy${domain}com`);
    const tooLong = validationErrorOf(() => emailAddress(`jane@xyz${domain}com`));
    expect(tooLong.message).toBe(`email must be at most 254 characters with at most 64 before the @, got "jane@xyz${'d'.repeat(60)}.ddddddd...`);
  });
});
