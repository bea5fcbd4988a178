/**
 * Keyset pages (shared/api/paging.ts has the convention). A cursor is the list's name and the
 * key of the last item served, base64url-encoded JSON: opaque to callers, checked on the way back
 * in, so a cursor of another list or a hand-made one answers 400 naming `cursor`.
 */
import type { Page, PageQuery } from '../../shared/api/paging.ts';
import { validationError } from '../errors.ts';

export type CursorKey = string | number;

export function encodeCursor(list: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([list, key])).toString('base64url');
}

/** The key a cursor of `list` names; undefined for the first page. */
export function decodeCursor<K extends 'string' | 'number'>(list: string, cursor: string | undefined, kind: K): (K extends 'string' ? string : number) | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== list || typeof parsed[1] !== kind || (kind === 'number' && !Number.isSafeInteger(parsed[1]))) {
    throw badCursor();
  }
  return parsed[1] as K extends 'string' ? string : number;
}

/** The 400 of a cursor this list did not give out. */
export const badCursor = () =>
  validationError([{ field: 'cursor', message: `is not a cursor of this list: send the nextCursor of the previous page as it was given, or leave cursor out to start again` }]);

/**
 * A page from the items after the cursor, fetched with one more than `limit` so the last page
 * knows it is the last.
 */
export function pageOf<T>(list: string, fetched: T[], q: Pick<PageQuery, 'limit'>, total: number, keyOf: (item: T) => CursorKey): Page<T> {
  const items = fetched.slice(0, q.limit);
  const last = items[items.length - 1];
  return { items, total, nextCursor: fetched.length > q.limit && last !== undefined ? encodeCursor(list, keyOf(last)) : null };
}
