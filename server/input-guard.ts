/**
 * One check for every API request, before any router: the path, the query string and the body
 * must be text the database can hold (input-text.ts) and percent-encoding must spell UTF-8.
 * Anything else is a 400 naming the field (`title`, `changes[1].note`, `quarter`, or `path`),
 * so no route has to remember, and no such value reaches a query, a JSON column or a log line.
 *
 * The raw URL is read, not `req.query`: Node's query parser turns a broken escape into U+FFFD
 * or leaves it as it came, and the router only decodes a path parameter when a route matches,
 * throwing a URIError that would otherwise be a 500.
 */
import type { RequestHandler } from 'express';
import { fieldOf, validationError, type FieldIssue } from './errors.ts';
import { findBadText, firstBadChar, printable, textProblem } from './input-text.ts';

const ENCODING_MESSAGE = 'is not valid percent-encoding: each "%" must start a UTF-8 byte written as two hex digits';

function decode(s: string, plusIsSpace: boolean): string | null {
  try {
    return decodeURIComponent(plusIsSpace ? s.replaceAll('+', ' ') : s);
  } catch {
    return null;
  }
}

/** The path's segments as they came (`%`-escapes undecoded), each one checked. */
function pathIssue(path: string): FieldIssue | null {
  const segments = path.split('/');
  for (const [i, raw] of segments.entries()) {
    if (!raw.includes('%')) continue;
    const shown = `part ${i} of the path ("${raw.slice(0, 60)}")`;
    const text = decode(raw, false);
    if (text === null) return { field: 'path', message: `${shown} ${ENCODING_MESSAGE}` };
    const problem = textProblem(text);
    if (problem) return { field: 'path', message: `${shown} ${problem}` };
  }
  return null;
}

/** Each `name=value` of the query string; a parameter is named by its (decoded) name. */
function queryIssue(query: string): FieldIssue | null {
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const name = decode(rawName, true);
    if (name === null) return { field: 'query', message: `the parameter name "${rawName.slice(0, 60)}" ${ENCODING_MESSAGE}` };
    const nameProblem = textProblem(name);
    if (nameProblem) return { field: 'query', message: `the parameter name "${printable(name).slice(0, 60)}" ${nameProblem}` };
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1), true);
    if (value === null) return { field: name, message: ENCODING_MESSAGE };
    const problem = textProblem(value);
    if (problem) return { field: name, message: problem };
  }
  return null;
}

/** A JSON body's fields, or a CSV body as a whole (its line named). */
function bodyIssue(body: unknown): FieldIssue | null {
  if (typeof body === 'string') {
    const bad = firstBadChar(body);
    return bad && { field: 'body', message: `line ${body.slice(0, bad.index).split('\n').length} ${bad.message}` };
  }
  const bad = findBadText(body);
  return bad && { field: fieldOf(bad.path), message: bad.message };
}

export const inputGuard: RequestHandler = (req, _res, next) => {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const issue = pathIssue(q < 0 ? url : url.slice(0, q)) ?? (q < 0 ? null : queryIssue(url.slice(q + 1))) ?? bodyIssue(req.body);
  next(issue ? validationError([issue]) : undefined);
};
