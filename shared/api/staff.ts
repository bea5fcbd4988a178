/** /api/staff: people, their weekly hours and skills, and their leave in one quarter. */
import { z } from 'zod';
import { hours, Id, Name, Version, Week } from './fields.ts';

const skills = z
  .array(z.string({ error: 'must be a string' }).trim().min(1, { error: 'a skill must not be empty' }).max(100, { error: 'must be at most 100 characters' }), {
    error: 'must be a list of skills',
  })
  .max(50, { error: 'must list at most 50 skills' })
  .transform((list) => [...new Set(list)]);
const weeklyHours = hours(168);
const active = z.boolean({ error: 'must be true or false' });

export const StaffCreate = z.object({ id: Id, name: Name.optional(), weeklyHours, skills: skills.default([]), active: active.optional() }).strict();
export type StaffCreate = z.infer<typeof StaffCreate>;

export const StaffPatch = z.object({ version: Version, name: Name.optional(), weeklyHours: weeklyHours.optional(), skills: skills.optional(), active: active.optional() }).strict();
export type StaffPatch = z.infer<typeof StaffPatch>;

/** PUT /api/staff/:id/leave: one week's leave in a quarter; 0 removes it. */
export const LeaveBody = z.object({ week: Week, hours: hours(168), quarter: Id.optional() }).strict();
export type LeaveBody = z.infer<typeof LeaveBody>;

export const StaffRecord = z
  .object({
    id: z.string(),
    name: z.string(),
    weeklyHours: z.number(),
    skills: z.array(z.string()),
    active: z.boolean(),
    version: z.number().int(),
    /** The quarter `leave` is about (null before any quarter exists). */
    quarter: z.string().nullable(),
    /** Hours of leave by week index, weeks with leave only. */
    leave: z.record(z.string(), z.number()),
  })
  .strict();
export type StaffRecord = z.infer<typeof StaffRecord>;
