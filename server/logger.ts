/**
 * The server's log (pino). It never carries a request body or a value sent to the database: an
 * error the database raised is logged as a summary (its class, SQLSTATE code, table, column,
 * constraint and where in our code), because MikroORM writes parameter values into the query
 * text, knex puts that text at the head of the error's message, and PostgreSQL's own message and
 * `detail` quote values too (`Key (email)=(…) already exists`).
 */
import { DriverException } from '@mikro-orm/core';
import { pino, type Logger } from 'pino';

export type { Logger };

/** PostgreSQL's fields that name things, never values. */
const NAMING_FIELDS = ['code', 'severity', 'routine', 'schema', 'table', 'column', 'dataType', 'constraint'] as const;
/** Fields no error may bring into the log. */
const VALUE_FIELDS = new Set(['sql', 'query', 'params', 'parameters', 'bindings', 'body', 'detail', 'hint', 'where', 'internalQuery', 'position', 'internalPosition']);
/** knex's message: the query (values written in) ` - ` PostgreSQL's message. */
const SQL_HEAD = /^\s*(select|insert|update|delete|with|begin|commit|rollback|savepoint|release|set|lock|create|alter|drop|truncate|copy|listen|notify)\b/i;

/** A message with no SQL in front and every quoted part masked: what is left says what went wrong. */
export function safeMessage(message: string): string {
  const first = message.split('\n')[0] ?? '';
  const cut = SQL_HEAD.test(first) ? first.slice(first.lastIndexOf(' - ') + 3) : first;
  return cut.replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'").slice(0, 300);
}

/** An error raised by (or on the way to) the database: MikroORM's, pg's, or one whose message is knex's. */
export function isDatabaseError(err: unknown): boolean {
  if (err instanceof DriverException) return true;
  if (!err || typeof err !== 'object') return false;
  const e = err as { severity?: unknown; code?: unknown; message?: unknown };
  return (typeof e.severity === 'string' && typeof e.code === 'string') || (typeof e.message === 'string' && SQL_HEAD.test(e.message));
}

/** The stack's frames, without its first line (which repeats the message). */
const framesOf = (stack: unknown) => (typeof stack === 'string' ? stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n') : undefined);

type Serialized = Record<string, unknown>;

/** An error as the log shows it. */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!err || typeof err !== 'object') return typeof err === 'string' ? safeMessage(err) : err;
  const e = err as Record<string, unknown> & { name?: unknown; message?: unknown; stack?: unknown; cause?: unknown; errors?: unknown };
  const out: Serialized = { type: typeof e.name === 'string' ? e.name : (err.constructor?.name ?? 'Error') };
  if (isDatabaseError(err)) {
    if (typeof e.message === 'string') out.message = safeMessage(e.message);
    for (const key of NAMING_FIELDS) if (typeof e[key] === 'string') out[key] = e[key];
  } else {
    if (typeof e.message === 'string') out.message = e.message;
    for (const [key, value] of Object.entries(e)) {
      if (!VALUE_FIELDS.has(key) && !(key in out) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) out[key] = value;
    }
  }
  const stack = framesOf(e.stack);
  if (stack) out.stack = stack;
  if (depth < 3 && e.cause !== undefined) out.cause = serializeError(e.cause, depth + 1);
  if (depth < 3 && Array.isArray(e.errors)) out.errors = e.errors.slice(0, 5).map((x) => serializeError(x, depth + 1));
  return out;
}

/** A calendar feed's address is its key (modules/calendar): logs name the route, never the token. */
const FEED_PATH = /(\/api\/calendar\/)(?!reset(?:[/?#]|$))[^/?#]+/g;
export const redactPath = (path: string) => path.replace(FEED_PATH, '$1…');

/** A one-line account of an error (or of a message already taken from one). */
export function errorSummary(err: unknown): string {
  if (typeof err === 'string') return safeMessage(err);
  const s = serializeError(err) as Serialized;
  return [s.type, s.code, s.message].filter((x) => typeof x === 'string' && x !== '').join(': ');
}

export function createLogger(level: string, name = 'hourglass', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: ['req.headers.cookie', 'password', 'passwordHash', '*.password', 'body', 'req.body', '*.body'],
    serializers: {
      // Request paths (errors.ts logs them) with any secret in them cut out.
      path: (p: unknown) => (typeof p === 'string' ? redactPath(p) : p),
      url: (u: unknown) => (typeof u === 'string' ? redactPath(u) : u),
      err: serializeError,
      error: serializeError,
      cause: errorSummary,
      message: (m: unknown) => (typeof m === 'string' ? safeMessage(m) : m),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
