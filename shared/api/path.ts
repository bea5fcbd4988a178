/** URLs from the route table's keys. No schemas here: the dashboard bundles this file. */

/** `GET /api/tickets/:id` → `['GET', '/api/tickets/:id']`. */
export function splitRoute(route: string): [method: string, pattern: string] {
  const at = route.indexOf(' ');
  return [route.slice(0, at), route.slice(at + 1)];
}

/** `/api/tickets/:id` with `{ id: 'T-1' }` → `/api/tickets/T-1` (each value URL-encoded). */
export function fillPath(pattern: string, params: Readonly<Record<string, string | number>> = {}): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${pattern}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
}

/** A query string from the defined values only (`?quarter=2026-Q4&limit=100`; '' when none). */
export function queryString(params: Readonly<Record<string, string | number | boolean | undefined | null>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
