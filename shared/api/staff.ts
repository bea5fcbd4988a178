/** /api/staff: people, their weekly hours and skills, and their leave in one quarter. */
import { z } from 'zod';
import { hours, Id, Name, QuarterQuery, Version, Week } from './fields.ts';
import { page, pagedQuery, type Page } from './paging.ts';

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

/** GET /api/staff: a page of people in id order, each with their leave in `quarter`. */
export const StaffListQuery = pagedQuery(QuarterQuery.shape);
export type StaffListQuery = z.infer<typeof StaffListQuery>;

export const StaffPage = page(StaffRecord);
export type StaffPage = Page<StaffRecord>;

/** GET /api/skills: the skills in use (people's and open tickets'), for suggestions where skills are typed. */
export const SkillsInUse = z
  .object({ skills: z.array(z.object({ skill: z.string(), staff: z.number().int(), openTickets: z.number().int() }).strict()) })
  .strict();
export type SkillsInUse = z.infer<typeof SkillsInUse>;
