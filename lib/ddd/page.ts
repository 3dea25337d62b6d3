import { ValidationError } from './errors';

export const MAX_PAGE_SIZE = 100;

/** A request for one page of a list: how many items, and the opaque cursor to resume after. */
export interface PageRequest {
  readonly first: number;
  readonly after: string | undefined;
}

/** One page of a list; each item carries the opaque cursor that resumes the list right after it. */
export interface Page<T> {
  readonly edges: readonly { readonly node: T; readonly cursor: string }[];
  readonly hasNextPage: boolean;
}

/** Validates Relay arguments: `first` within 1..100 (docs/architecture.md §2). */
export function pageRequest(first: number | null | undefined, after: string | null | undefined, defaultFirst = 20): PageRequest {
  const size = first ?? defaultFirst;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ValidationError('first', `first must be between 1 and ${MAX_PAGE_SIZE}, got ${size}`, { value: size });
  }
  return { first: size, after: after ?? undefined };
}
