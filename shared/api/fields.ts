/**
 * Field schemas every request uses (ids, names, hours, weeks, versions), and the helper that
 * keeps a renamed field's old name working on input. Messages name what to send, so the 400 a
 * field gets reads as advice: `hours: must be in quarter hours (a multiple of 0.25)`.
 */
import { z } from 'zod';

/** A type error message that tells a missing field from a wrong-typed one. */
export const typed = (message: string) => (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : message);

export const Id = z
  .string({ error: typed('must be a string') })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' });

export const Name = z.string({ error: typed('must be a string') }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' });

export const Version = z.number({ error: 'is required: send the version you read, so nobody’s change is overwritten' }).int();

/** Hours from 0 up to a cap (the scenario's 100 000 by default), in quarter hours: shared/hours.ts, the rule CSV cells share. */
export { hoursSchema as hours } from '../hours.ts';

export const Week = z
  .number({ error: typed('must be a week index') })
  .int({ error: 'must be a whole week index' })
  .min(0, { error: 'must be a week index from 0' })
  .max(1000, { error: 'must be a week of the quarter' });

/** A week in a query string. */
export const WeekParam = z.coerce.number({ error: 'must be a week index' }).int({ error: 'must be a whole week index' }).min(0, { error: 'must be a week index from 0' }).max(1000, { error: 'must be a week of the quarter' });

/** A database serial in a path: capped at PostgreSQL's integer range, so a huge id is a 404, not a 500. */
export const serial = (message: string) => z.coerce.number({ error: message }).int({ error: message }).positive({ error: message }).max(2_147_483_647, { error: message });

export const IsoDate = (example: string) => z.iso.date({ error: `must be a date like ${example}` });
/** A time as the API sends it: ISO 8601 in UTC (`2026-10-05T09:30:00.000Z`). */
export const Timestamp = z.iso.datetime();

export const IdParam = z.object({ id: Id });
export type IdParam = z.infer<typeof IdParam>;

export const QuarterQuery = z.object({ quarter: Id.optional() });
export type QuarterQuery = z.infer<typeof QuarterQuery>;

/**
 * Accepts a record's old field names on input (`{ ticketId }` for `{ ticket }`), for tools
 * written before the rename; answers always use the new names. Sending both names is refused,
 * naming the old one. The schema's input type keeps only the new names, so our own callers send
 * those.
 */
export function acceptingOldNames<S extends z.ZodType>(schema: S, oldNames: Readonly<Record<string, string>>): z.ZodType<z.output<S>, z.input<S>> {
  return z.preprocess((input, ctx) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
    const out: Record<string, unknown> = { ...input };
    for (const [old, name] of Object.entries(oldNames)) {
      if (!(old in out)) continue;
      if (name in out) {
        ctx.addIssue({ code: 'custom', path: [old], message: `is the old name of ${name}: send ${name} only` });
        continue;
      }
      out[name] = out[old];
      delete out[old];
    }
    return out;
  }, schema) as unknown as z.ZodType<z.output<S>, z.input<S>>;
}
