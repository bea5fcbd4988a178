/**
 * /api/tickets: the bodies, queries and answers. Field names are the scenario's (SCENARIO.md):
 * `client`, `quarter`, `estimateHours`, … A ticket's `spentHours` is its imported baseline plus
 * the hours logged on it as time entries.
 */
import { z } from 'zod';
import { hours, Id, QuarterQuery, Timestamp, typed, Version, Week } from './fields.ts';
import { page, pagedQuery, type Page } from './paging.ts';

export const TICKET_STATUSES = ['open', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

const PRIORITY_MESSAGE = 'must be 1 (urgent), 2 (high), 3 (normal) or 4 (low)';
export const Priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], { error: typed(PRIORITY_MESSAGE) });
export type Priority = z.infer<typeof Priority>;
const title = z.string({ error: typed('must be a string') }).trim().min(1, { error: 'must not be empty' }).max(500, { error: 'must be at most 500 characters' });
const description = z.string({ error: 'must be a string' }).max(20_000, { error: 'must be at most 20000 characters' });
const skill = z.string({ error: 'must be a string or null' }).trim().min(1, { error: 'must not be empty (send null for "anyone")' }).max(100, { error: 'must be at most 100 characters' }).nullable();
const status = z.enum(TICKET_STATUSES, { error: 'must be "open" or "closed"' });
const flag = z.boolean({ error: 'must be true or false' });

const fields = {
  client: Id,
  title,
  description,
  priority: Priority,
  estimateHours: hours(),
  /** Hours spent before time entries were kept here; time entries add to them. */
  spentHours: hours(),
  openedWeek: Week,
  skill,
  emergency: flag,
  dueWeek: Week.nullable(),
  status,
};

/**
 * A new ticket. Managers send `client` and `estimateHours`; a client user sends only `title`,
 * `description`, `priority`, `estimateHours`, `dueWeek` (and `client`/`quarter`, its own/open one).
 */
export const TicketCreate = z
  .object({
    ...fields,
    id: Id.optional(),
    quarter: Id.optional(),
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
export type TicketCreate = z.infer<typeof TicketCreate>;

/** `emergencyRequested: false` (managers) dismisses a tracker's request for an emergency; `emergency: true` confirms it. */
export const TicketPatch = z.object({ version: Version, ...fields, emergencyRequested: flag }).partial().required({ version: true }).strict();
export type TicketPatch = z.infer<typeof TicketPatch>;

/** Ordered by id, numbers within ids in number order (T-2 before T-10). */
export const TicketListQuery = pagedQuery({
  ...QuarterQuery.shape,
  client: Id.optional(),
  status: status.optional(),
  priority: z.coerce.number({ error: PRIORITY_MESSAGE }).pipe(Priority).optional(),
});
export type TicketListQuery = z.infer<typeof TicketListQuery>;

export const TicketRecord = z
  .object({
    id: z.string(),
    client: z.string(),
    title: z.string(),
    description: z.string(),
    priority: Priority,
    estimateHours: z.number(),
    spentHours: z.number(),
    openedWeek: z.number().int(),
    skill: z.string().nullable(),
    emergency: z.boolean(),
    dueWeek: z.number().int().nullable(),
    status,
    quarter: z.string(),
    /** The tracker it came from (`github`, `gitlab`, `jira`, `generic`; /api/intake), its id there and its page; null when filed here. */
    source: z.string().nullable(),
    externalId: z.string().nullable(),
    url: z.string().nullable(),
    /** The tracker's emergency label is on it: a manager confirms (emergency: true) or dismisses it. */
    emergencyRequested: z.boolean(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .strict();
export type TicketRecord = z.infer<typeof TicketRecord>;

export const TicketPage = page(TicketRecord);
export type TicketPage = Page<TicketRecord>;
