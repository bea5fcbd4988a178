/** Bodies and queries of /api/staff. */
import { z } from 'zod';
import { hoursSchema, idSchema, nameSchema, versionSchema, weekSchema } from '../resource-helpers.ts';

const skills = z
  .array(z.string({ error: 'must be a string' }).trim().min(1, { error: 'a skill must not be empty' }).max(100, { error: 'must be at most 100 characters' }), {
    error: 'must be a list of skills',
  })
  .max(50, { error: 'must list at most 50 skills' })
  .transform((list) => [...new Set(list)]);
const weeklyHours = hoursSchema(168);

export const CreateStaff = z
  .object({ id: idSchema, name: nameSchema.optional(), weeklyHours, skills: skills.default([]), active: z.boolean({ error: 'must be true or false' }).optional() })
  .strict();
export type CreateStaff = z.output<typeof CreateStaff>;

export const PatchStaff = z
  .object({ version: versionSchema, name: nameSchema.optional(), weeklyHours: weeklyHours.optional(), skills: skills.optional(), active: z.boolean({ error: 'must be true or false' }).optional() })
  .strict();
export type PatchStaff = z.output<typeof PatchStaff>;

export const LeaveBody = z.object({ week: weekSchema, hours: hoursSchema(168), quarter: idSchema.optional() }).strict();
export type LeaveBody = z.output<typeof LeaveBody>;
