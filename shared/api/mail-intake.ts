/**
 * /api/intake/mail: the mails the intake listener held for a manager (issue 13: mail to tickets).
 * A held mail came from no known client contact (or could not be filed, `reason` says why); a
 * manager assigns it to a client, which files it as that client's ticket, or discards it. Only the
 * text and the attachments' names are kept.
 */
import { z } from 'zod';
import { Id, serial, Timestamp } from './fields.ts';
import { page, pagedQuery } from './paging.ts';
import { Priority } from './tickets.ts';

export const HELD_MAIL_STATUSES = ['held', 'assigned', 'discarded'] as const;
export type HeldMailStatus = (typeof HELD_MAIL_STATUSES)[number];

export const HeldMailRecord = z
  .object({
    id: z.number().int(),
    /** The sender's address (the From header), lower case. */
    from: z.string(),
    fromName: z.string(),
    subject: z.string(),
    text: z.string(),
    /** The attachments' file names; their content is never stored. */
    attachments: z.array(z.string()),
    /** Why it was held: no known client contact, or what stopped it being filed. */
    reason: z.string(),
    receivedAt: Timestamp,
    status: z.enum(HELD_MAIL_STATUSES),
    /** The ticket it became, once assigned. */
    ticket: z.string().nullable(),
    decidedAt: Timestamp.nullable(),
  })
  .strict();
export type HeldMailRecord = z.infer<typeof HeldMailRecord>;

/** Oldest first (by id); `status` defaults to `held`. */
export const HeldMailListQuery = pagedQuery({ status: z.enum(HELD_MAIL_STATUSES, { error: 'must be "held", "assigned" or "discarded"' }).default('held') });
export type HeldMailListQuery = z.infer<typeof HeldMailListQuery>;
export const HeldMailPage = page(HeldMailRecord);
export type HeldMailPage = z.infer<typeof HeldMailPage>;

export const HeldMailIdParam = z.object({ id: serial('must be a held mail id') });

/** Files the held mail as a ticket of `clientId`, at `priority` (else its `[P1]`…`[P4]` tag, else 3). */
export const HeldMailAssign = z.object({ clientId: Id, priority: Priority.optional() }).strict();
export type HeldMailAssign = z.infer<typeof HeldMailAssign>;
