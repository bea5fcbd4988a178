/**
 * A CSV file as the import's preview shows it: the header and each record with the row number a
 * spreadsheet shows and the server's messages use (the header is row 1; a quoted cell spanning
 * lines is still one row; blank rows are skipped but counted), and the import's row/column
 * problems (its 400's details) placed on their cells.
 */
import type { FieldIssue } from '../api/http.ts';

export interface CsvPreviewRow {
  row: number;
  cells: string[];
}

export interface CsvPreview {
  header: string[];
  rows: CsvPreviewRow[];
}

/** The records of a CSV text (RFC 4180: quotes, doubled quotes, CRLF or LF, a BOM). */
export function csvRecords(text: string): string[][] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      if (c === '\r' && s[i + 1] === '\n') i++;
    } else cell += c;
    i++;
  }
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

export function csvPreview(text: string): CsvPreview {
  const [head = [], ...rest] = csvRecords(text);
  const rows: CsvPreviewRow[] = [];
  rest.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    rows.push({ row: i + 2, cells });
  });
  return { header: head.map((h) => h.trim()), rows };
}

/** An import's problem: its row and column where the server gave them. */
export interface RowIssue extends FieldIssue {
  row?: number;
  column?: string;
}

export interface PlacedIssues {
  /** `row|column` → the message. */
  cells: Map<string, string>;
  /** Rows with any problem. */
  rows: Set<number>;
  /** Each problem in words: "Row 3, priority: must be 1 … 4". */
  list: string[];
}

export const cellKey = (row: number, column: string) => `${row}|${column}`;

export function placeIssues(details: readonly RowIssue[]): PlacedIssues {
  const cells = new Map<string, string>();
  const rows = new Set<number>();
  const list: string[] = [];
  for (const d of details) {
    if (typeof d.row === 'number') {
      rows.add(d.row);
      if (d.column) cells.set(cellKey(d.row, d.column), cells.has(cellKey(d.row, d.column)) ? `${cells.get(cellKey(d.row, d.column))}; ${d.message}` : d.message);
      list.push(`Row ${d.row}${d.column ? `, ${d.column}` : ''}: ${d.message}`);
    } else list.push(`${d.field}: ${d.message}`);
  }
  return { cells, rows, list };
}

/** The rows a preview shows: the first `max`, and every row with a problem after them. */
export function previewRows(rows: readonly CsvPreviewRow[], bad: ReadonlySet<number>, max = 50): CsvPreviewRow[] {
  return rows.filter((r, i) => i < max || bad.has(r.row));
}
