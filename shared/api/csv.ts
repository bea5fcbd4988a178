/**
 * CSV export and import of a quarter's tickets and time entries (managers). The files' columns
 * are the CSV services' (server/modules/csv); these are the request and answer around them.
 */
import { z } from 'zod';
import { Id } from './fields.ts';

/** Without `quarter`, the latest open quarter. */
export const CsvQuery = z.object({ quarter: Id.optional() });
export type CsvQuery = z.infer<typeof CsvQuery>;

/**
 * An import's query: `dryRun=true` checks the whole file as the import would (the same 400 naming
 * row and column) and answers what it would save, saving nothing.
 */
export const CsvImportQuery = CsvQuery.extend({
  dryRun: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((s) => s === 'true')
    .optional(),
}).strict();
export type CsvImportQuery = z.infer<typeof CsvImportQuery>;

/** What an import does (or, dry run, would do) with one row of the file. */
export const CsvRowAction = z.object({ row: z.number().int(), id: z.union([z.string(), z.number().int()]).nullable(), action: z.enum(['create', 'update', 'unchanged']) }).strict();
export type CsvRowAction = z.infer<typeof CsvRowAction>;

export const CsvImportResult = z
  .object({
    quarter: z.string(),
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    /** Present on a dry run: nothing was saved. */
    dryRun: z.literal(true).optional(),
    /** A dry run's answer per row of the file, in file order. */
    actions: z.array(CsvRowAction).optional(),
  })
  .strict();
export type CsvImportResult = z.infer<typeof CsvImportResult>;
