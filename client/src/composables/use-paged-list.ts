/**
 * A paged list read a page at a time (shared/api/paging.ts): the first page, then more by a
 * button. Read again from the start, as many items as were shown, when the server says the data
 * changed, so a row added or edited elsewhere shows without losing the user's place.
 */
import { ref, shallowRef } from 'vue';
import type { Page } from '../../../shared/api/index.ts';
import { ApiError } from '../api/http.ts';
import type { LiveEvent } from '../api/live.ts';
import { useLiveRefetch } from './use-live-status.ts';

export function usePagedList<T>(load: (q: { limit: number; cursor?: string }) => Promise<Page<T>>, opts: { pageSize?: number; events?: LiveEvent[] } = {}) {
  const pageSize = opts.pageSize ?? 50;
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let seq = 0;

  async function read(append: boolean): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      const limit = append ? pageSize : Math.min(1000, Math.max(pageSize, items.value.length));
      const page = await load(append && nextCursor.value ? { limit, cursor: nextCursor.value } : { limit });
      if (mine !== seq) return;
      items.value = append ? [...items.value, ...page.items] : page.items;
      total.value = page.total;
      nextCursor.value = page.nextCursor;
      error.value = null;
      loaded.value = true;
    } catch (err) {
      if (mine !== seq) return;
      error.value = ApiError.from(err);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  void read(false);
  if (opts.events?.length) useLiveRefetch(opts.events, () => void read(false));
  return {
    items,
    total,
    nextCursor,
    loading,
    loaded,
    error,
    reload: () => read(false),
    loadMore: () => (nextCursor.value ? read(true) : Promise.resolve()),
    /** Puts a record written here in place (or first, when new) before the list is read again. */
    upsert(item: T, same: (a: T, b: T) => boolean): void {
      const i = items.value.findIndex((x) => same(x, item));
      if (i >= 0) items.value = items.value.map((x, j) => (j === i ? item : x));
      else {
        items.value = [item, ...items.value];
        total.value++;
      }
    },
  };
}
