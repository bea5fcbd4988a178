/**
 * The error catalogue: every code the API answers with, and the one shape every failure has,
 * `{ "error": { "code", "message", "details" } }`. The server's AppError takes only these codes
 * and the dashboard compares against them, so a misspelt `no_plan` fails to compile on both sides.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  /** A request the server could not take as sent (a closed quarter, a bad reference). */
  'bad_request',
  /** Fields failed their checks; `details` names each field. */
  'validation_failed',
  'invalid_json',
  'too_large',
  'unsupported_encoding',
  'unsupported_media_type',
  'unauthenticated',
  'invalid_credentials',
  'rate_limited',
  'forbidden',
  'account_disabled',
  'not_found',
  /** The quarter has no plan yet: it is being planned. */
  'no_plan',
  /** Someone changed the record since it was read; `details.current` is the record now. */
  'conflict',
  'quarter_closed',
  /** A what-if confirmed after its quarter changed: nothing saved; the answer carries the fresh `answer`. */
  'what_if_stale',
  'database_unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const FieldIssue = z.object({ field: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;

/**
 * `details` is a list of field issues for 400s, `{ current }` (the record as it is now) for
 * conflicts, `{ basedOnRevision, revision }` for a stale what-if, and null otherwise.
 */
export const ErrorBody = z.object({
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown() }).strict(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
