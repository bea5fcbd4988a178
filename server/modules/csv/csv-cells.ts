/** zod schemas for CSV cells: every cell arrives as text. */
import { z } from 'zod';
import { weekOfDate, type QuarterWeeks } from '../time-entries/entry-week.ts';

const required = z.string().trim().min(1, { error: 'is required' });

export const idCell = required.max(200, { error: 'must be at most 200 characters' });
export const textCell = (max: number) => z.string().trim().max(max, { error: `must be at most ${max} characters` });

/** A required number checked by `inner` (NaN fails it: "abc" is not a number). */
export const numberCell = (inner: z.ZodNumber) => required.transform(Number).pipe(inner);
export const optionalNumberCell = (inner: z.ZodNumber) =>
  z
    .string()
    .trim()
    .transform((s) => (s === '' ? undefined : Number(s)))
    .pipe(inner.optional());

export const boolCell = z
  .string()
  .trim()
  .toLowerCase()
  .refine((s) => ['', 'true', 'false', 'yes', 'no', '1', '0'].includes(s), { error: 'must be true or false (or empty for false)' })
  .transform((s) => s === 'true' || s === 'yes' || s === '1');

/** A week as its index, or (quarters with a start date) as a date inside it. */
export const weekCell = z
  .string()
  .trim()
  .refine((s) => s === '' || /^\d{1,3}$/.test(s) || /^\d{4}-\d{2}-\d{2}$/.test(s), { error: 'must be a week index (0, 1, …) or a date like 2026-10-05' });

/** Resolves a week cell against the quarter: an index, or the week a date falls in. */
export function resolveWeek(q: QuarterWeeks, cell: string, beforeStartIsWeek0: boolean): { week: number } | { message: string } {
  const last = q.weeks - 1;
  let week: number;
  if (cell.includes('-')) {
    if (!q.startDate) return { message: `quarter ${q.id} has no start date: give the week index (0 to ${last})` };
    const ms = Date.parse(`${cell}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== cell) return { message: `${cell} is not a date` };
    week = weekOfDate(q.startDate, cell);
    if (week < 0) {
      if (!beforeStartIsWeek0) return { message: `${cell} is before quarter ${q.id} starts (${q.startDate})` };
      week = 0;
    }
    if (week > last) return { message: `${cell} is after quarter ${q.id} ends` };
  } else {
    week = Number(cell);
    if (week > last) return { message: `week ${week} is outside the quarter (weeks 0 to ${last})` };
  }
  return { week };
}
