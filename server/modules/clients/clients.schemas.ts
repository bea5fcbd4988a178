/** Bodies and queries of /api/clients. */
import { z } from 'zod';
import { hoursSchema, idSchema, nameSchema, versionSchema, weekSchema } from '../resource-helpers.ts';

const plan = z.enum(['prepaid', 'payg'], { error: 'must be "prepaid" or "payg"' });
const active = z.boolean({ error: 'must be true or false' });

export const CreateClient = z.object({ id: idSchema, name: nameSchema.optional(), plan, active: active.optional() }).strict();
export type CreateClient = z.output<typeof CreateClient>;

export const PatchClient = z.object({ version: versionSchema, name: nameSchema.optional(), plan: plan.optional(), active: active.optional() }).strict();
export type PatchClient = z.output<typeof PatchClient>;

export const BlockBody = z
  .object({ week: weekSchema, hours: hoursSchema().min(20, { error: 'a block is at least 20 hours' }), quarter: idSchema.optional() })
  .strict();
export type BlockBody = z.output<typeof BlockBody>;

export const BlockParams = z.object({
  id: idSchema,
  blockId: z.coerce.number({ error: 'must be a block id' }).int({ error: 'must be a block id' }).positive({ error: 'must be a block id' }).max(2_147_483_647, { error: 'must be a block id' }),
});
