import { ValidationError, describeValue } from './errors';

/**
 * Small assertions shared by value objects. Each throws a ValidationError naming the field and the value,
 * so that every invariant in every context reports bad input the same way.
 */
export const guard = {
  integer(field: string, value: number, { min, max }: { min?: number; max?: number } = {}): number {
    if (!Number.isSafeInteger(value)) {
      throw new ValidationError(field, `${field} must be an integer, got ${describeValue(value)}`, { value });
    }
    if (min !== undefined && value < min) {
      throw new ValidationError(field, `${field} must be at least ${min}, got ${value}`, { value });
    }
    if (max !== undefined && value > max) {
      throw new ValidationError(field, `${field} must be at most ${max}, got ${value}`, { value });
    }
    return value;
  },

  text(field: string, value: string, { min = 0, max }: { min?: number; max: number }): string {
    const trimmed = value.trim();
    if (trimmed.length < min || trimmed.length > max) {
      const range = min > 0 ? `${min}-${max}` : `at most ${max}`;
      throw new ValidationError(
        field,
        `${field} must be ${range} characters, got ${trimmed.length} (${describeValue(value)})`,
        { value: trimmed.length > 200 ? `${trimmed.slice(0, 200)}...` : trimmed },
      );
    }
    return trimmed;
  },

  pattern(field: string, value: string, pattern: RegExp, expectation: string): string {
    if (!pattern.test(value)) {
      throw new ValidationError(field, `${field} must be ${expectation}, got ${describeValue(value)}`, { value });
    }
    return value;
  },
};
