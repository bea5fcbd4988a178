/**
 * The one module that talks HTTP. Same-origin cookies carry the session; every failure becomes
 * an ApiError whose field details let a form put each message next to its field.
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    readonly body: unknown = null,
    /** The whole answer, for errors that carry more than `error` (a stale what-if's fresh answer). */
    readonly response: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
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
  const e = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
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
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection; the page will catch up when it is back.');
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && !path.startsWith('/api/auth/login')) unauthenticatedListeners.forEach((fn) => fn(err));
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const http = {
  get: <T>(path: string, init?: { signal?: AbortSignal }) => request<T>('GET', path, undefined, init),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
};

/** Builds a query string from the defined values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
