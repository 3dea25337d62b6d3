import type { Page } from '../ddd';

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A Relay connection (docs/architecture.md §2) from a page of items that carry their own cursors. */
export function toConnection<T, U = T>(page: Page<T>, map: (node: T) => U = (node) => node as unknown as U): Connection<U> {
  return {
    edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: map(edge.node) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.edges.at(-1)?.cursor ?? null },
  };
}
