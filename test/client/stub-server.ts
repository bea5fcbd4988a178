/** A stubbed server for the dashboard's composable and page tests: fetch answered by route. */
import { nextTick } from 'vue';
import { vi } from 'vitest';

/** `routes` answers `METHOD path` (the longest match wins, with or without a query); each call's `METHOD url` is kept. */
export function stubServer(routes: Record<string, (body: unknown, url: URL) => [number, unknown]>): string[] {
  const calls: string[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const key = `${init.method ?? 'GET'} ${url}`;
    calls.push(key);
    const hit = Object.keys(routes)
      .filter((k) => key === k || key.startsWith(`${k}?`))
      .sort((a, b) => b.length - a.length)[0];
    const [status, body] = hit
      ? routes[hit]!(init.body ? JSON.parse(String(init.body)) : undefined, new URL(url, 'http://localhost'))
      : [404, { error: { code: 'not_found', message: `No route ${key}`, details: null } }];
    return Response.json(body, { status });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

/** Lets the stubbed answers arrive and Vue render them. */
export const flush = async () => {
  for (let i = 0; i < 8; i++) await new Promise((r) => setTimeout(r, 0));
  await nextTick();
};
