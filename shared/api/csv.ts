/**
 * CSV export and import of a quarter's tickets and time entries (managers). The files' columns
 * are the CSV services' (server/modules/csv); these are the request and answer around them.
 */
import { z } from 'zod';
import { Id } from './fields.ts';

/** Without `quarter`, the latest open quarter. */
export const CsvQuery = z.object({ quarter: Id.optional() });
export type CsvQuery = z.infer<typeof CsvQuery>;

export const CsvImportResult = z
  .object({ quarter: z.string(), rows: z.number().int(), created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() })
  .strict();
export type CsvImportResult = z.infer<typeof CsvImportResult>;
