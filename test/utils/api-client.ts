/**
 * A tiny HTTP client for tests: keeps the session cookie, returns status and parsed body.
 *
 * Every JSON answer is checked against the REST contract (shared/api/index.ts): a success
 * against its route's answer schema, a failure against the one error shape. A server that
 * drifts from the contract fails the test that saw it, with the route and the fields named.
 * `call` is the typed way in: the route's path parameters, query and body, typed from its schemas.
 */
import { API, ErrorBody, type BodyOf, type Page, type ParamsOf, type QueryOf, type ResponseOf, type Route } from '../../shared/api/index.ts';
import { fillPath, queryString, splitRoute } from '../../shared/api/path.ts';
import type { z } from 'zod';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallArgs<R extends Route> {
  params?: ParamsOf<R>;
  query?: QueryOf<R>;
  body?: BodyOf<R>;
}

/** Routes as patterns to match request paths against: literal ones (`/api/plans/current`) before `/:param` ones. */
const ROUTES = (Object.keys(API) as Route[])
  .map((route) => {
    const [method, pattern] = splitRoute(route);
    const regex = new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    return { route, method, regex, params: (pattern.match(/:/g) ?? []).length };
  })
  .sort((a, b) => a.params - b.params);

export function routeOf(method: string, path: string): Route | undefined {
  const pathname = path.split('?')[0]!;
  return ROUTES.find((r) => r.method === method && r.regex.test(pathname))?.route;
}

/** Why a JSON answer breaks the contract, or null when it keeps it. */
export function contractProblem(method: string, path: string, status: number, body: unknown): string | null {
  if (!path.startsWith('/api/') || path.startsWith('/api/health')) return null;
  const route = routeOf(method, path);
  let schema: z.ZodType | null;
  if (status >= 400) schema = ErrorBody;
  else if (status >= 200 && status < 300 && route) schema = API[route].response;
  else schema = null;
  if (!schema) return null;
  const result = schema.safeParse(body);
  if (result.success) return null;
  const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`);
  return `${method} ${path} answered ${status} outside the contract (${status >= 400 ? 'ErrorBody' : route}): ${issues.join('; ')}`;
}

export class ApiClient {
  cookie = '';
  /** Check every JSON answer against the contract (off only for tests of answers that are not the API's). */
  checkContract = true;

  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (this.cookie) (init.headers as Record<string, string>).cookie = this.cookie;
    if (body !== undefined) {
      if (typeof body === 'string' && headers['content-type']) init.body = body;
      else {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
    }
    const res = await fetch(this.baseUrl + path, init);
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    const json = (res.headers.get('content-type') ?? '').includes('json') && text;
    if (json) parsed = JSON.parse(text);
    if (json && this.checkContract) {
      const problem = contractProblem(method, path, res.status, parsed);
      if (problem) throw new Error(problem);
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', path, body, headers);
  patch = <T = any>(path: string, body?: unknown) => this.request<T>('PATCH', path, body);
  put = <T = any>(path: string, body?: unknown) => this.request<T>('PUT', path, body);
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);

  /** One route of the contract, typed from its schemas: `call('GET /api/tickets', { query: { client: 'acme' } })`. */
  call<R extends Route>(route: R, args: CallArgs<R> = {}): Promise<ApiResponse<ResponseOf<R>>> {
    const [method, pattern] = splitRoute(route);
    const path = fillPath(pattern, (args.params ?? {}) as Record<string, string | number>) + queryString((args.query ?? {}) as Record<string, string | number | undefined>);
    return this.request<ResponseOf<R>>(method, path, args.body);
  }

  /** Every item of a paged list, following `nextCursor` page by page; fails on any answer but 200. */
  async all<R extends Route>(route: R, query: QueryOf<R> = {} as QueryOf<R>): Promise<ResponseOf<R> extends Page<infer T> ? T[] : never> {
    const items: unknown[] = [];
    let cursor: string | undefined;
    do {
      const r = await this.call(route, { query: { ...(query as object), cursor } as QueryOf<R> });
      if (r.status !== 200) throw new Error(`${route} answered ${r.status}: ${JSON.stringify(r.body)}`);
      const page = r.body as unknown as Page<unknown>;
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items as ResponseOf<R> extends Page<infer T> ? T[] : never;
  }

  async login(email: string, password: string): Promise<void> {
    const r = await this.post('/api/auth/login', { email, password });
    if (r.status !== 200) throw new Error(`login as ${email} failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
}
