/**
 * A small catalogue of typed errors and the one handler that answers every failure with
 * `{ "error": { "code", "message", "details" } }`. Internals never leak: a database that cannot be
 * reached is a 503 `database_unavailable`; other unexpected errors are logged with their stack and
 * answered as a plain 500.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { OptimisticLockError, UniqueConstraintViolationException, ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { ZodError, type z } from 'zod';
import type { ErrorBody, ErrorCode, FieldIssue } from '../shared/api/errors.ts';
import { ScenarioError } from '../solver/index.ts';
import type { Logger } from './logger.ts';
import { findBadText } from './input-text.ts';

export type { ErrorCode, FieldIssue } from '../shared/api/errors.ts';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: FieldIssue[]) => new AppError(400, 'bad_request', message, details);
export const unauthenticated = () => new AppError(401, 'unauthenticated', 'Sign in first: POST /api/auth/login with your email and password.');
export const forbidden = (message = 'Your role cannot do this.') => new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'conflict', message, details);
export const databaseUnavailable = () =>
  new AppError(503, 'database_unavailable', 'The database is not answering just now (restarting, or its connections were cut). Try again in a few seconds.');

/** Node's codes for a connection that could not be made or was cut. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** pg's messages for a client whose connection ended, and knex's when no connection could be had in time. */
const CONNECTION_MESSAGES = /Connection terminated|not queryable|Timeout acquiring a connection/;

/**
 * Whether an error says the database cannot be reached, not that a query was wrong: PostgreSQL's
 * connection and shutdown classes (08xxx, 57P0x, too many connections), any error that ended the
 * session (FATAL), a socket error. MikroORM wraps driver errors and copies their fields; AggregateError
 * (one per address tried) and `cause` chains are looked through.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; severity?: unknown; message?: unknown; name?: unknown; previous?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') || code.startsWith('57P') || code === '53300' || CONNECTION_CODES.has(code)) return true;
  if (e.severity === 'FATAL' || e.severity === 'PANIC' || e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  return [e.previous, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])].some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

/** The path of a zod issue as a field name: `tickets[2].priority`. */
export function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out || 'body';
}

export function validationError(issues: FieldIssue[]): AppError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new AppError(400, 'validation_failed', `${first.field}: ${first.message}${more}`, issues);
}

/** zod issues as fields; each unknown field of a strict schema is named (zod reports them at the object). */
export function issuesOf(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): FieldIssue[] {
  return issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ field: fieldOf([...prefix, ...i.path, key]), message: 'is not a field this request accepts' }))
      : [{ field: fieldOf([...prefix, ...i.path]), message: i.message }],
  );
}

/**
 * Parses with a zod schema or throws a 400 that names every bad field. Text the database cannot
 * hold (a NUL, a lone surrogate: input-text.ts) is refused first, whatever the schema says.
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const bad = findBadText(input);
  if (bad) throw validationError([{ field: fieldOf([...(prefix ? [prefix] : []), ...bad.path]), message: bad.message }]);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(issuesOf(result.error.issues, prefix ? [prefix] : []));
}

export const notFoundRoute: RequestHandler = (req, _res, next) => next(new AppError(404, 'not_found', `No route ${req.method} ${req.path}.`));

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toAppError(err);
    // A database blip is an expected fault, not a bug: one line, no stack.
    if (error.code === 'database_unavailable') logger.warn({ method: req.method, path: req.path, cause: (err as Error)?.message }, 'request failed: database unavailable');
    else if (error.status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    if (error.status === 503) res.set('Retry-After', '5');
    const body: ErrorBody = { error: { code: error.code, message: error.message, details: error.details ?? null } };
    res.status(error.status).json(body);
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ScenarioError) {
    return validationError(err.issues.map((i) => ({ field: i.path || 'scenario', message: i.message })));
  }
  if (err instanceof ZodError) return validationError(issuesOf(err.issues));
  if (err instanceof OptimisticLockError) {
    return conflict('Someone else changed this record since you read it. Reload it and apply your change again.');
  }
  if (err instanceof UniqueConstraintViolationException) return conflict('A record with this id or email already exists.');
  if (err instanceof ForeignKeyConstraintViolationException) {
    return badRequest('This refers to a record that does not exist, or is still referred to by others.');
  }
  // Raised by the database triggers that keep a closed quarter read-only (migration 0003).
  const code = (err as { code?: string })?.code;
  if (code === 'HG001') return new AppError(409, 'quarter_closed', 'This quarter is closed; it can no longer be changed. Work in the next quarter.');
  const e = err as { type?: string; status?: number; expose?: boolean; message?: string };
  // Errors raised by body parsers carry a status and a type.
  if (e?.type === 'entity.parse.failed') return new AppError(400, 'invalid_json', 'body: not valid JSON. Send a JSON object with Content-Type: application/json.');
  if (e?.type === 'entity.too.large') return new AppError(413, 'too_large', 'The request body is too large.');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new AppError(415, 'unsupported_encoding', 'Send the body as UTF-8.');
  // The router's own decoding of a path parameter (input-guard.ts refuses such paths first).
  if (err instanceof URIError) return validationError([{ field: 'path', message: 'is not valid percent-encoding' }]);
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) return new AppError(e.status, 'bad_request', e.message ?? 'Bad request.');
  if (isDatabaseUnavailable(err)) return databaseUnavailable();
  return new AppError(500, 'internal', 'Something went wrong on our side. Try again; if it keeps failing, tell your administrator the time it happened.');
}
