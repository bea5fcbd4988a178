/** Bodies and queries of /api/tickets. Field names are the scenario's (SCENARIO.md). */
import { z } from 'zod';
import { TICKET_STATUSES } from '../../db/entities.ts';
import { hoursSchema, idSchema, typed, versionSchema, weekSchema } from '../resource-helpers.ts';

const PRIORITY_MESSAGE = 'must be 1 (urgent), 2 (high), 3 (normal) or 4 (low)';
const priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], { error: typed(PRIORITY_MESSAGE) });
const title = z.string({ error: typed('must be a string') }).trim().min(1, { error: 'must not be empty' }).max(500, { error: 'must be at most 500 characters' });
const description = z.string({ error: 'must be a string' }).max(20_000, { error: 'must be at most 20000 characters' });
const skill = z.string({ error: 'must be a string or null' }).trim().min(1, { error: 'must not be empty (send null for "anyone")' }).max(100, { error: 'must be at most 100 characters' }).nullable();
const status = z.enum(TICKET_STATUSES, { error: 'must be "open" or "closed"' });
const flag = z.boolean({ error: 'must be true or false' });

const fields = {
  client: idSchema,
  title,
  description,
  priority,
  estimateHours: hoursSchema(),
  /** Hours spent before time entries were kept here; time entries add to them. */
  spentHours: hoursSchema(),
  openedWeek: weekSchema,
  skill,
  emergency: flag,
  dueWeek: weekSchema.nullable(),
  status,
};

export const CreateTicket = z
  .object({
    ...fields,
    id: idSchema.optional(),
    quarter: idSchema.optional(),
    client: fields.client.optional(),
    description: description.optional(),
    estimateHours: fields.estimateHours.optional(),
    spentHours: fields.spentHours.optional(),
    openedWeek: fields.openedWeek.optional(),
    skill: skill.optional(),
    emergency: flag.optional(),
    dueWeek: fields.dueWeek.optional(),
    status: status.optional(),
  })
  .strict();
export type CreateTicket = z.output<typeof CreateTicket>;

export const PatchTicket = z.object({ version: versionSchema, ...fields }).partial().required({ version: true }).strict();
export type PatchTicket = z.output<typeof PatchTicket>;

/** What a client user may send: it files tickets and words them; a manager plans them. */
export const CLIENT_CREATE_FIELDS: readonly string[] = ['client', 'quarter', 'title', 'description', 'priority', 'estimateHours', 'dueWeek'];
export const CLIENT_PATCH_FIELDS: readonly string[] = ['version', 'title', 'description', 'priority', 'dueWeek'];

export const TicketListQuery = z.object({
  quarter: idSchema.optional(),
  client: idSchema.optional(),
  status: status.optional(),
  priority: z.coerce.number({ error: PRIORITY_MESSAGE }).pipe(priority).optional(),
});
export type TicketListQuery = z.output<typeof TicketListQuery>;
