/** A list or record read over HTTP and read again when the server says it changed. */
import { shallowRef, ref, watch, type Ref, type ShallowRef } from 'vue';
import { ApiError } from '../api/http.ts';
import type { LiveEvent } from '../api/live.ts';
import { useLiveRefetch } from './use-live-status.ts';

export interface Resource<T> {
  data: ShallowRef<T>;
  error: ShallowRef<ApiError | null>;
  loading: Ref<boolean>;
  loaded: Ref<boolean>;
  reload(): Promise<void>;
}

/**
 * `key` says what to read (null: nothing yet); `load` reads it through the HTTP module. A new key
 * reads again; answers to an older key are dropped.
 */
export function useResource<T, K>(key: () => K | null, load: (key: K) => Promise<T>, initial: T, events: LiveEvent[] = []): Resource<T> {
  const data = shallowRef(initial) as ShallowRef<T>;
  const error = shallowRef<ApiError | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  let seq = 0;
  async function reload(): Promise<void> {
    const k = key();
    if (k === null) return;
    const mine = ++seq;
    loading.value = true;
    try {
      const res = await load(k);
      if (mine !== seq) return;
      data.value = res;
      error.value = null;
      loaded.value = true;
    } catch (err) {
      if (mine !== seq) return;
      error.value = ApiError.from(err);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  watch(() => JSON.stringify(key()), () => void reload(), { immediate: true });
  if (events.length) useLiveRefetch(events, () => void reload());
  return { data, error, loading, loaded, reload };
}
