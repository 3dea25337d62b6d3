import { useState } from 'react';

/**
 * Relay cursor paging, backwards included: the cursors of the pages before this one, so "previous" returns to
 * exactly the page it came from. A new `key` (another filter) starts over at the first page.
 */
export function useCursorStack(key = '') {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({ key, stack: [undefined] });
  const stack = state.key === key ? state.stack : [undefined];
  return {
    after: stack[stack.length - 1],
    page: stack.length,
    canGoBack: stack.length > 1,
    back: () => setState({ key, stack: stack.slice(0, -1) }),
    forward: (endCursor: string | null | undefined) => setState({ key, stack: [...stack, endCursor ?? undefined] }),
  };
}

interface PagerProps {
  readonly label: string;
  readonly cursors: ReturnType<typeof useCursorStack>;
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor?: string | null | undefined } | undefined;
  readonly previous: string;
  readonly next: string;
  readonly showPage?: boolean;
}

export function CursorPager({ label, cursors, pageInfo, previous, next, showPage = false }: PagerProps) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={!cursors.canGoBack} onClick={cursors.back}>
        {previous}
      </button>
      {showPage ? <span>Page {cursors.page}</span> : null}
      <button type="button" disabled={!pageInfo?.hasNextPage} onClick={() => cursors.forward(pageInfo?.endCursor)}>
        {next}
      </button>
    </nav>
  );
}
