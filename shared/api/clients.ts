/** /api/clients: clients, their prepaid blocks, and their history in one quarter. */
import { z } from 'zod';
import { hours, Id, Name, QuarterQuery, serial, Timestamp, Version, Week } from './fields.ts';
import { PriceMinor } from '../money.ts';
import { page, pagedQuery, type Page } from './paging.ts';

export const CLIENT_PLANS = ['prepaid', 'payg'] as const;
const plan = z.enum(CLIENT_PLANS, { error: 'must be "prepaid" or "payg"' });
const active = z.boolean({ error: 'must be true or false' });
/** The client's one liaison: name, email, phone, as the manager writes it; empty clears it. */
const contact = z
  .string({ error: 'must be a string' })
  .trim()
  .max(500, { error: 'must be at most 500 characters' })
  .transform((s) => s || null)
  .nullable();

/**
 * Prices per hour in the company currency's minor units (shared/money.ts): the prepaid block
 * price (the discounted rate) and the pay-as-you-go rate, at which overage is billed too. Null:
 * not priced yet (its money figures count 0 and say so).
 */
const price = PriceMinor.nullable();
const prices = { blockPriceMinor: price.optional(), paygRateMinor: price.optional() };

export const ClientCreate = z.object({ id: Id, name: Name.optional(), plan, contact: contact.optional(), active: active.optional(), ...prices }).strict();
export type ClientCreate = z.infer<typeof ClientCreate>;

export const ClientPatch = z.object({ version: Version, name: Name.optional(), plan: plan.optional(), contact: contact.optional(), active: active.optional(), ...prices }).strict();
export type ClientPatch = z.infer<typeof ClientPatch>;

/** Ordered by id. `quarter` is the quarter whose blocks and history each client carries. */
export const ClientListQuery = pagedQuery(QuarterQuery.shape);
export type ClientListQuery = z.infer<typeof ClientListQuery>;

/** A block bought: at least 20 hours (DOMAIN.md), from `week` on. */
export const BlockCreate = z.object({ week: Week, hours: hours().min(20, { error: 'a block is at least 20 hours' }), quarter: Id.optional() }).strict();
export type BlockCreate = z.infer<typeof BlockCreate>;

/**
 * PATCH /api/clients/:id/blocks/:blockId: correct a block recorded by mistake (its week or hours),
 * with the version read. A closed quarter's blocks are history.
 */
export const BlockPatch = z
  .object({ version: Version, week: Week.optional(), hours: hours().min(20, { error: 'a block is at least 20 hours' }).optional() })
  .strict()
  .refine((b) => b.week !== undefined || b.hours !== undefined, { error: 'send week or hours (or both) to correct', path: ['hours'] });
export type BlockPatch = z.infer<typeof BlockPatch>;

export const BlockParams = z.object({ id: Id, blockId: serial('must be a block id') });
export type BlockParams = z.infer<typeof BlockParams>;

export const BlockRecord = z.object({ id: z.number().int(), quarter: z.string(), week: z.number().int(), hours: z.number(), createdAt: Timestamp, version: z.number().int() }).strict();
export type BlockRecord = z.infer<typeof BlockRecord>;

export const ClientRecord = z
  .object({
    id: z.string(),
    name: z.string(),
    plan,
    contact: z.string().nullable(),
    active: z.boolean(),
    blockPriceMinor: z.number().int().nullable(),
    paygRateMinor: z.number().int().nullable(),
    version: z.number().int(),
    /** The quarter the blocks and figures below are about (null before any quarter exists). */
    quarter: z.string().nullable(),
    blocks: z.array(BlockRecord),
    rolloverInHours: z.number(),
    /** What the planner is given (SCENARIO.md): hours used per past week, imported plus logged. */
    usedByWeek: z.array(z.number()),
    shortfallToDateHours: z.number(),
  })
  .strict();
export type ClientRecord = z.infer<typeof ClientRecord>;

export const ClientPage = page(ClientRecord);
export type ClientPage = Page<ClientRecord>;
