/**
 * The one module that talks HTTP. Same-origin cookies carry the session; every failure becomes
 * an ApiError whose field details let a form put each message next to its field.
 *
 * Every request names its route in the REST contract (shared/api/index.ts): `call('PATCH
 * /api/tickets/:id', { params, body })` is typed from the route's schemas, so a field the server
 * renames fails to compile here. Only types come from shared/api at run time nothing does, so the
 * schemas stay out of the bundle.
 */
import type { BodyOf, Page, ParamsOf, QueryOf, ResponseOf, Route } from '../../../shared/api/index.ts';
import type { ErrorCode, FieldIssue } from '../../../shared/api/errors.ts';
import { fillPath, queryString, splitRoute } from '../../../shared/api/path.ts';

export type { FieldIssue } from '../../../shared/api/errors.ts';

/** The server's codes, and those of failures that never reached it (or did not answer in kind). */
export type ApiErrorCode = ErrorCode | 'network' | 'http_error' | 'error';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: FieldIssue[] = [],
    readonly body: unknown = null,
    /** The whole answer, for errors that carry more than `error` (a stale what-if's fresh answer). */
    readonly response: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Anything thrown, as an ApiError: a network failure or a bug becomes status 0, code 'error'. */
  static from(err: unknown): ApiError {
    return err instanceof ApiError ? err : new ApiError(0, 'error', String(err));
  }

  /** The message for one field (matches `priority`, `tickets[0].priority` → `priority` too). */
  fieldMessage(field: string): string | undefined {
    const hit = this.details.find((d) => d.field === field || d.field.endsWith(`.${field}`) || d.field.replace(/\[\d+\]/g, '') === field);
    return hit?.message;
  }

  /** Details that match none of the given fields: shown at the top of the form. */
  otherIssues(fields: string[]): FieldIssue[] {
    return this.details.filter((d) => !fields.some((f) => d.field === f || d.field.endsWith(`.${f}`)));
  }
}

type Listener = (err: ApiError) => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called when a request answers 401: the session ended elsewhere. */
export function onUnauthenticated(fn: Listener): () => void {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}

function isIssueList(x: unknown): x is FieldIssue[] {
  return Array.isArray(x) && x.every((d) => d && typeof d === 'object' && typeof (d as FieldIssue).field === 'string');
}

export async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON: a proxy or a crashed server */
  }
  const e = (body as { error?: { code?: ErrorCode; message?: string; details?: unknown } } | null)?.error;
  if (e && typeof e.message === 'string') {
    return new ApiError(res.status, e.code ?? 'error', e.message, isIssueList(e.details) ? e.details : [], e.details ?? null, body);
  }
  const fallback =
    res.status >= 500
      ? 'The server could not answer. Try again in a moment.'
      : res.status === 404
        ? 'This is not available on the server yet.'
        : `The server refused the request (${res.status}).`;
  return new ApiError(res.status, res.status === 404 ? 'not_found' : 'http_error', fallback);
}

export async function request<T>(method: string, path: string, body?: unknown, init: { signal?: AbortSignal } = {}): Promise<T> {
  const res = await send(method, path, body, init.signal);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A CSV file sent as is (text/csv), for the import routes; the answer is JSON like every other. */
export class CsvBody {
  constructor(readonly text: string) {}
}

async function send(method: string, path: string, body: unknown, signal: AbortSignal | undefined, extra: Record<string, string> = {}): Promise<Response> {
  let res: Response;
  const type = body instanceof CsvBody ? 'text/csv' : 'application/json';
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json', ...extra } : { accept: 'application/json', 'content-type': type, ...extra },
      body: body === undefined ? undefined : body instanceof CsvBody ? body.text : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection; the page will catch up when it is back.');
  }
  if (!res.ok && res.status !== 304) {
    const err = await toApiError(res);
    if (res.status === 401 && !path.startsWith('/api/auth/login')) unauthenticatedListeners.forEach((fn) => fn(err));
    throw err;
  }
  return res;
}

/**
 * Answers read with their ETag, by URL: asked again with If-None-Match, a 304 gives back the very
 * object read before (so nothing on screen recomputes). A few dozen at most, the least recently
 * used dropped first.
 */
const conditional = new Map<string, { etag: string; body: unknown }>();
const CONDITIONAL_MAX = 48;

/** A GET that revalidates what it read before (ETag / 304) instead of reading it again. */
export async function getCached<T>(path: string, init: { signal?: AbortSignal } = {}): Promise<T> {
  const had = conditional.get(path);
  const res = await send('GET', path, undefined, init.signal, had ? { 'if-none-match': had.etag } : {});
  if (res.status === 304 && had) {
    conditional.delete(path);
    conditional.set(path, had);
    return had.body as T;
  }
  const text = await res.text();
  const body = (text ? JSON.parse(text) : undefined) as T;
  const etag = res.headers.get('etag');
  conditional.delete(path);
  if (etag && res.status === 200) {
    conditional.set(path, { etag, body });
    if (conditional.size > CONDITIONAL_MAX) conditional.delete(conditional.keys().next().value!);
  }
  return body;
}

/** Forgets every ETag'd answer (on sign-out: the next user reads afresh). */
export function clearConditional(): void {
  conditional.clear();
}

export interface CallArgs<R extends Route> {
  params?: ParamsOf<R>;
  query?: QueryOf<R>;
  body?: BodyOf<R>;
  signal?: AbortSignal;
}

type Values = Record<string, string | number | boolean | undefined | null>;

function pathOf<R extends Route>(pattern: string, args: CallArgs<R>): string {
  return fillPath(pattern, (args.params ?? {}) as Record<string, string | number>) + queryString((args.query ?? {}) as Values);
}

/** Calls one route of the contract; the answer is typed from its schema. */
export function call<R extends Route>(route: R, args: CallArgs<R> = {}): Promise<ResponseOf<R>> {
  const [method, pattern] = splitRoute(route);
  const body = method === 'GET' || method === 'DELETE' ? undefined : (args.body ?? {});
  return request<ResponseOf<R>>(method, pathOf(pattern, args), body, { signal: args.signal });
}

/** GET routes whose answers carry an ETag. */
type CachedRoute = 'GET /api/plans/current/summary' | 'GET /api/plans/current/allocations' | 'GET /api/plans/current/tickets' | 'GET /api/plans/current/clients/:id' | 'GET /api/revenue';

/** Calls a GET route of the plan's views, revalidating what it read before (getCached). */
export function callCached<R extends CachedRoute>(route: R, args: CallArgs<R> = {}): Promise<ResponseOf<R>> {
  return getCached<ResponseOf<R>>(pathOf(splitRoute(route)[1], args), { signal: args.signal });
}

/** The routes that answer a page (shared/api/paging.ts). */
export type PagedRoute = { [R in Route]: ResponseOf<R> extends Page<unknown> ? R : never }[Route];
export type ItemOf<R extends PagedRoute> = ResponseOf<R> extends Page<infer T> ? T : never;

/** Every item of a paged list: its pages one after another, the largest the server serves. */
export async function listAll<R extends PagedRoute>(route: R, query: QueryOf<R>, signal?: AbortSignal): Promise<ItemOf<R>[]> {
  const items: ItemOf<R>[] = [];
  let cursor: string | undefined;
  do {
    const page = (await call(route, { query: { ...(query as object), limit: PAGE_LIMIT, cursor } as QueryOf<R>, signal })) as unknown as Page<ItemOf<R>>;
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
/** PAGE_LIMIT_MAX of shared/api/paging.ts (a value: the schemas stay out of the bundle). */
const PAGE_LIMIT = 1000;

type Id = string | number;
type Body<R extends Route> = BodyOf<R>;

/** A CSV import (tickets or time entries), or its dry run. */
function importCsv(path: '/api/tickets/import' | '/api/time-entries/import', csv: string, quarter: string | undefined, dryRun: boolean) {
  return request<ResponseOf<'POST /api/tickets/import'>>('POST', `${path}${queryString({ quarter, dryRun: dryRun ? 'true' : undefined })}`, new CsvBody(csv));
}

/** A helper per route the dashboard uses. */
export const api = {
  auth: {
    me: () => call('GET /api/auth/me'),
    login: (body: Body<'POST /api/auth/login'>) => call('POST /api/auth/login', { body }),
    logout: () => call('POST /api/auth/logout'),
    checkLink: (token: string) => call('POST /api/auth/password-link', { body: { token } }),
    setPassword: (body: Body<'POST /api/auth/set-password'>) => call('POST /api/auth/set-password', { body }),
  },
  plans: {
    current: (quarter?: string) => call('GET /api/plans/current', { query: { quarter } }),
    diff: (version: number, against?: number) => call('GET /api/plans/:version/diff', { params: { version }, query: { against } }),
    /** The manager's first screen; the pages and one client's detail below (all ETag'd). */
    summary: (quarter?: string) => callCached('GET /api/plans/current/summary', { query: { quarter } }),
    allocations: (query: QueryOf<'GET /api/plans/current/allocations'>) => callCached('GET /api/plans/current/allocations', { query }),
    tickets: (query: QueryOf<'GET /api/plans/current/tickets'>) => callCached('GET /api/plans/current/tickets', { query }),
    client: (id: string, quarter?: string) => callCached('GET /api/plans/current/clients/:id', { params: { id }, query: { quarter } }),
  },
  tickets: {
    /** POST /api/tickets/import: every row or none (the answer's 400 names row and column); a dry run saves nothing. */
    importCsv: (csv: string, quarter?: string, dryRun = false) => importCsv('/api/tickets/import', csv, quarter, dryRun),
    page: (query: QueryOf<'GET /api/tickets'>) => call('GET /api/tickets', { query }),
    all: (query: QueryOf<'GET /api/tickets'>) => listAll('GET /api/tickets', query),
    get: (id: string) => call('GET /api/tickets/:id', { params: { id } }),
    create: (body: Body<'POST /api/tickets'>) => call('POST /api/tickets', { body }),
    update: (id: string, body: Body<'PATCH /api/tickets/:id'>) => call('PATCH /api/tickets/:id', { params: { id }, body }),
  },
  timeEntries: {
    /** POST /api/time-entries/import, as the tickets' import. */
    importCsv: (csv: string, quarter?: string, dryRun = false) => importCsv('/api/time-entries/import', csv, quarter, dryRun),
    all: (query: QueryOf<'GET /api/time-entries'>) => listAll('GET /api/time-entries', query),
    create: (body: Body<'POST /api/time-entries'>) => call('POST /api/time-entries', { body }),
    update: (id: number, body: Body<'PATCH /api/time-entries/:id'>) => call('PATCH /api/time-entries/:id', { params: { id }, body }),
    remove: (id: number, version: number) => call('DELETE /api/time-entries/:id', { params: { id }, query: { version } }),
  },
  staff: {
    page: (query: QueryOf<'GET /api/staff'>) => call('GET /api/staff', { query }),
    create: (body: Body<'POST /api/staff'>) => call('POST /api/staff', { body }),
    update: (id: string, body: Body<'PATCH /api/staff/:id'>) => call('PATCH /api/staff/:id', { params: { id }, body }),
    skills: () => call('GET /api/skills'),
    setLeave: (id: string, body: Body<'PUT /api/staff/:id/leave'>) => call('PUT /api/staff/:id/leave', { params: { id }, body }),
  },
  clients: {
    page: (query: QueryOf<'GET /api/clients'>) => call('GET /api/clients', { query }),
    create: (body: Body<'POST /api/clients'>) => call('POST /api/clients', { body }),
    update: (id: string, body: Body<'PATCH /api/clients/:id'>) => call('PATCH /api/clients/:id', { params: { id }, body }),
    blocks: (id: string, quarter?: string) => call('GET /api/clients/:id/blocks', { params: { id }, query: { quarter } }),
    updateBlock: (id: string, blockId: number, body: Body<'PATCH /api/clients/:id/blocks/:blockId'>) => call('PATCH /api/clients/:id/blocks/:blockId', { params: { id, blockId }, body }),
    removeBlock: (id: string, blockId: number) => call('DELETE /api/clients/:id/blocks/:blockId', { params: { id, blockId } }),
    addBlock: (id: string, body: Body<'POST /api/clients/:id/blocks'>) => call('POST /api/clients/:id/blocks', { params: { id }, body }),
  },
  users: {
    list: () => call('GET /api/users'),
    invite: (body: Body<'POST /api/users/invite'>) => call('POST /api/users/invite', { body }),
    passwordLink: (id: number) => call('POST /api/users/:id/password-link', { params: { id } }),
    disable: (id: number) => call('POST /api/users/:id/disable', { params: { id } }),
    enable: (id: number) => call('POST /api/users/:id/enable', { params: { id } }),
  },
  tokens: {
    list: () => call('GET /api/tokens'),
    create: (body: Body<'POST /api/tokens'>) => call('POST /api/tokens', { body }),
    revoke: (id: number) => call('DELETE /api/tokens/:id', { params: { id } }),
  },
  quarters: {
    list: () => call('GET /api/quarters'),
    create: (body: Body<'POST /api/quarters'>) => call('POST /api/quarters', { body }),
    /** What closing the quarter now would do (a closed one: what its close did). */
    closePreview: (id: string) => call('GET /api/quarters/:id/close-preview', { params: { id } }),
    close: (id: string, body: Body<'POST /api/quarters/:id/close'>) => call('POST /api/quarters/:id/close', { params: { id }, body }),
  },
  pins: {
    list: (quarter: string) => call('GET /api/pins', { query: { quarter } }),
    create: (body: Body<'POST /api/pins'>) => call('POST /api/pins', { body }),
    remove: (id: Id) => call('DELETE /api/pins/:id', { params: { id } }),
  },
  settings: {
    /** The company's name and currency (every screen that shows money needs the currency). */
    get: () => call('GET /api/settings'),
    update: (body: Body<'PATCH /api/settings'>) => call('PATCH /api/settings', { body }),
  },
  revenue: {
    /** What the quarter's plan is worth (ETag'd: a re-read unchanged is a 304). */
    get: (quarter?: string) => callCached('GET /api/revenue', { query: { quarter } }),
  },
  whatIf: {
    ask: (body: Body<'POST /api/what-if'>) => call('POST /api/what-if', { body }),
    confirm: (body: Body<'POST /api/what-if/confirm'>) => call('POST /api/what-if/confirm', { body }),
  },
} satisfies Record<string, Record<string, (...args: never[]) => Promise<unknown>>>;

