/**
 * A page's filters in the address: each field a ref read from the route's query when the page
 * opens and written back with router.replace when it changes (a default value is left out), so a
 * reload or a shared link opens the page as it was. Values the page does not know fall back to
 * the default. Query keys the page does not own are kept.
 */
import { reactive, toRefs, watch, type ToRefs } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';

export interface QueryField<T> {
  initial: T;
  /** The value of a query string, or undefined when it is not one. */
  parse(raw: string): T | undefined;
  format(value: T): string;
}

export const textField = (initial = ''): QueryField<string> => ({ initial, parse: (s) => s, format: (s) => s });
export const flagField = (): QueryField<boolean> => ({ initial: false, parse: (s) => (s === '1' ? true : s === '0' ? false : undefined), format: (b) => (b ? '1' : '0') });
export function choiceField<const T extends string>(values: readonly T[], initial: T): QueryField<T> {
  return { initial, parse: (s) => (values as readonly string[]).includes(s) ? (s as T) : undefined, format: (v) => v };
}

type Values<S> = { [K in keyof S]: S[K] extends QueryField<infer T> ? T : never };

function read<S extends Record<string, QueryField<unknown>>>(spec: S, query: LocationQuery): Values<S> {
  const out = {} as Record<string, unknown>;
  for (const [key, field] of Object.entries(spec)) {
    const raw = query[key];
    const s = Array.isArray(raw) ? raw[0] : raw;
    out[key] = typeof s === 'string' ? (field.parse(s) ?? field.initial) : field.initial;
  }
  return out as Values<S>;
}

/** The query with these values: defaults left out, other keys kept. */
export function queryWith<S extends Record<string, QueryField<unknown>>>(spec: S, values: Values<S>, query: LocationQuery): LocationQuery {
  const next: LocationQuery = { ...query };
  for (const [key, field] of Object.entries(spec)) {
    const v = (values as Record<string, unknown>)[key];
    if (v === field.initial) delete next[key];
    else next[key] = field.format(v);
  }
  return next;
}

export function useQueryState<S extends Record<string, QueryField<unknown>>>(spec: S): ToRefs<Values<S>> {
  const route = useRoute();
  const router = useRouter();
  // Without a router (a component mounted alone): the defaults, kept in memory.
  if (!route || !router) return toRefs(reactive(read(spec, {})) as object) as ToRefs<Values<S>>;
  const state = reactive(read(spec, route.query)) as Values<S>;
  // Only this page's address: leaving it resets nothing.
  const page = route.name;
  const same = (a: LocationQuery, b: LocationQuery) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  watch(
    () => ({ ...state }),
    (values) => {
      if (route.name !== page) return;
      const next = queryWith(spec, values as Values<S>, route.query);
      if (!same(next, route.query)) void router.replace({ query: next });
    },
  );
  // Back and forward, or a link to the same page with other filters.
  watch(
    () => route.query,
    (query) => {
      if (route.name !== page) return;
      const values = read(spec, query);
      for (const key of Object.keys(spec) as (keyof S)[]) if (state[key] !== values[key]) state[key] = values[key];
    },
  );
  return toRefs(state as object) as ToRefs<Values<S>>;
}
