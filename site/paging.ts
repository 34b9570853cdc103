/**
 * Lists split over pages of {@link ROWS_PER_PAGE} rows, so no list page outgrows the page bound (limits.ts), with the
 * navigation between them.
 * @internal
 */
import { ROWS_PER_PAGE } from './limits.ts';

/** Where a page sits in its list, for the navigation partial (`@pager`). */
export interface Pager {
  /** 1-based row numbers of the first and last row of this page, and the rows in the whole list. */
  first: number;
  last: number;
  total: number;
  links: Array<{ number: number; path: string; current: boolean }>;
}

/** One page of a list: its path, its rows, and the navigation (null when the list fits on one page). */
export interface ListPage<T> {
  path: string;
  number: number;
  rows: T[];
  pager: Pager | null;
}

/** Splits `rows` into pages of {@link ROWS_PER_PAGE}; page `n` (from 1) lives at `pathOf(n)`. An empty list is one empty page. */
export function paginate<T>(rows: readonly T[], pathOf: (n: number) => string): Array<ListPage<T>> {
  const count = Math.max(1, Math.ceil(rows.length / ROWS_PER_PAGE));
  const links = Array.from({ length: count }, (_, i) => ({ number: i + 1, path: pathOf(i + 1) }));
  return links.map(({ number, path }) => {
    const start = (number - 1) * ROWS_PER_PAGE;
    const slice = rows.slice(start, start + ROWS_PER_PAGE);
    return {
      path,
      number,
      rows: slice,
      pager: count === 1 ? null : { first: start + 1, last: start + slice.length, total: rows.length, links: links.map((l) => ({ ...l, current: l.number === number })) },
    };
  });
}
