/**
 * CSV files as a spreadsheet user sees them: the header is row 1, the first record row 2 (a
 * quoted cell spanning lines is still one row), blank rows are skipped but counted. Problems are
 * reported as `row 7, priority: …`, and an import with any problem saves nothing.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { AppError, badRequest, type FieldIssue } from '../../errors.ts';

export const MAX_ROWS = 20_000;
const MAX_ISSUES = 50;

export interface RowIssue extends FieldIssue {
  row: number;
  column: string;
}

export class RowIssues {
  readonly list: RowIssue[] = [];
  add(row: number, column: string, message: string): void {
    if (this.list.length < MAX_ISSUES) this.list.push({ row, column, field: `row ${row}, ${column}`, message });
  }
  /** Throws a 400 naming the first problem (and how many more) when there is any. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const first = this.list[0]!;
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more problem${this.list.length > 2 ? 's' : ''}; nothing was saved)` : ' (nothing was saved)';
    throw new AppError(400, 'validation_failed', `${first.field}: ${first.message}${more}`, this.list);
  }
}

export interface CsvRow {
  row: number;
  cells: Record<string, string>;
}

/**
 * Parses a CSV body into rows keyed by header. `required` columns must be in the header; a
 * column not in `known` is refused, so a misspelt header never silently drops a field.
 */
export function readCsv(body: unknown, known: readonly string[], required: readonly string[]): { header: Set<string>; rows: CsvRow[] } {
  if (typeof body !== 'string') throw new AppError(415, 'unsupported_media_type', 'Send the file itself as the body, with Content-Type: text/csv.');
  let records: string[][];
  try {
    records = parseCsv(body, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (e) {
    const err = e as { records?: number; message?: string };
    const row = (err.records ?? 0) + 1;
    throw badRequest(`row ${row}: the file is not valid CSV (${err.message ?? 'unreadable'}). Save it again as CSV (comma-separated, UTF-8) and retry.`);
  }
  const header = records[0]?.map((h) => h.trim());
  if (!header || header.every((h) => h === '')) throw badRequest(`row 1: the file is empty. The first row names the columns: ${known.join(', ')}.`);
  const issues = new RowIssues();
  header.forEach((h, i) => {
    if (!known.includes(h)) issues.add(1, h || `column ${i + 1}`, `unknown column; the columns are ${known.join(', ')}`);
    else if (header.indexOf(h) !== i) issues.add(1, h, 'appears twice in the header');
  });
  for (const r of required) if (!header.includes(r)) issues.add(1, r, 'column is missing from the header');
  if (records.length - 1 > MAX_ROWS) issues.add(records.length, 'file', `has ${records.length - 1} rows; import at most ${MAX_ROWS} at a time`);
  issues.throwIfAny();

  const rows: CsvRow[] = [];
  records.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => c.trim() === '')) return;
    if (cells.length > header.length) issues.add(row, `column ${header.length + 1}`, `has ${cells.length} cells; the header has ${header.length} columns`);
    // Every known column has a cell ('' when the file leaves the column out).
    const byName = Object.fromEntries(known.map((k) => [k, '']));
    header.forEach((h, j) => (byName[h] = unescapeCell(cells[j] ?? '')));
    rows.push({ row, cells: byName });
  });
  issues.throwIfAny();
  return { header: new Set(header), rows };
}

/** Checks one row with a zod schema; issues are recorded against the row. */
export function parseRow<S extends z.ZodType>(schema: S, row: CsvRow, issues: RowIssues): z.output<S> | null {
  const result = schema.safeParse(row.cells);
  if (result.success) return result.data;
  for (const i of result.error.issues) issues.add(row.row, String(i.path[0] ?? 'row'), i.message);
  return null;
}

// Spreadsheets run cells that start like a formula: such text is written with a leading
// apostrophe (which spreadsheets hide) and read back without it, so round trips are exact.
const FORMULA = /^'*[=+\-@\t\r]/;
const ESCAPED = /^'+[=+\-@\t\r]/;
const escapeCell = (text: string) => (FORMULA.test(text) ? `'${text}` : text);
export const unescapeCell = (text: string) => (ESCAPED.test(text) ? text.slice(1) : text);

export type Cell = string | number | boolean | null | undefined;

/** A CSV document; text cells are protected against formula injection, numbers are not. */
export function writeCsv(columns: readonly string[], rows: Cell[][]): string {
  const out = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : typeof c === 'string' ? escapeCell(c) : String(c))));
  return stringify([columns as string[], ...out]);
}
