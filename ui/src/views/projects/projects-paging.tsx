// Newest-first listings read a page at a time with the server's opaque page tokens: the tokens of the pages
// before are kept, so Previous goes back without the server's help.
import { useState } from 'preact/hooks';

export function usePageTokens() {
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  return {
    /** The token of the page shown (undefined for the first). */
    token: tokens[tokens.length - 1],
    number: tokens.length,
    next: (token: string) => setTokens([...tokens, token]),
    previous: () => setTokens(tokens.slice(0, -1)),
  };
}

export function Pager({ pages, nextPageToken, shown }: {
  pages: ReturnType<typeof usePageTokens>; nextPageToken?: string; shown: number;
}) {
  if (pages.number === 1 && !nextPageToken) return null;
  return (
    <div class="pager">
      <button type="button" disabled={pages.number === 1} onClick={pages.previous}>Previous</button>
      <span class="muted">Page {pages.number} ({shown} shown)</span>
      <button type="button" disabled={!nextPageToken} onClick={() => nextPageToken && pages.next(nextPageToken)}>Next</button>
    </div>
  );
}
