/**
 * Notifications (issue 12): email to users and posts to the company's chat webhook, by rule.
 *
 * GET  /api/account/notifications        your own switches, one per rule that can reach your role
 * PUT  /api/account/notifications        { rules: { <rule>: boolean, … } } (only the rules you get)
 * GET  /api/clients/:id/notifications    a client's switches (managers): off stops that rule for the client's users
 * PUT  /api/clients/:id/notifications    { rules: { <rule>: boolean, … } } (managers)
 * GET  /api/notifications                what was sent, queued or failed, newest first (managers; ?status=&rule=)
 * POST /api/notifications/:id/retry      send a failed message again (managers)
 */
import { z } from 'zod';
import { serial, Timestamp } from './fields.ts';
import { page, pagedQuery } from './paging.ts';

export const NOTIFICATION_RULES = ['at-risk', 'digest', 'emergency', 'replan', 'account'] as const;
export type NotificationRule = (typeof NOTIFICATION_RULES)[number];

/** Who each rule can reach (users of other roles have no switch for it). */
export const RULE_ROLES: Record<NotificationRule, readonly ('manager' | 'staff' | 'client')[]> = {
  'at-risk': ['client'],
  digest: ['client', 'staff'],
  emergency: ['manager', 'staff'],
  replan: ['staff'],
  account: ['manager', 'staff', 'client'],
};

/** The rules a client's switches govern: those that reach its users. */
export const CLIENT_RULES = NOTIFICATION_RULES.filter((r) => RULE_ROLES[r].includes('client'));

/** What each rule sends, as the settings page says it. */
export const RULE_LABELS: Record<NotificationRule, string> = {
  'at-risk': 'Hours at risk of expiring: when they rise above the threshold, or the week to present tasks by is within 2 weeks',
  digest: 'Weekly digest on Monday',
  emergency: 'Emergencies: when one is declared (managers) or you are planned on one (staff)',
  replan: 'A re-plan moves your current week (at most once an hour)',
  account: 'Invitations and password reset links',
};

const onOff = z.boolean({ error: 'must be true or false' });
const rulesShape = Object.fromEntries(NOTIFICATION_RULES.map((r) => [r, onOff.optional()])) as Record<NotificationRule, z.ZodOptional<typeof onOff>>;

export const NotificationRules = z.object(rulesShape).strict();

export const NotificationSwitchesBody = z.object({ rules: NotificationRules }).strict();
export type NotificationSwitchesBody = z.infer<typeof NotificationSwitchesBody>;

export const NotificationSwitch = z
  .object({
    rule: z.enum(NOTIFICATION_RULES),
    label: z.string(),
    /** Your own switch (or the client's, on a client's switches). */
    enabled: z.boolean(),
    /** A manager switched this rule off for your client: nothing is sent whatever your switch says. */
    offForClient: z.boolean().optional(),
  })
  .strict();
export type NotificationSwitch = z.infer<typeof NotificationSwitch>;

export const NotificationSwitches = z.object({ rules: z.array(NotificationSwitch) }).strict();
export type NotificationSwitches = z.infer<typeof NotificationSwitches>;

export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;

export const NotificationRecord = z
  .object({
    id: z.number().int(),
    rule: z.enum(NOTIFICATION_RULES),
    channel: z.enum(['email', 'chat']),
    /** The address mailed, or "chat". */
    to: z.string(),
    userId: z.number().int().nullable(),
    clientId: z.string().nullable(),
    period: z.string(),
    subject: z.string(),
    body: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    /** smtp, log (no SMTP_URL: written to the server's log) or webhook. */
    transport: z.string().nullable(),
    createdAt: Timestamp,
    sentAt: Timestamp.nullable(),
  })
  .strict();
export type NotificationRecord = z.infer<typeof NotificationRecord>;

export const NotificationListQuery = pagedQuery({
  status: z.enum(NOTIFICATION_STATUSES, { error: `must be one of ${NOTIFICATION_STATUSES.join(', ')}` }).optional(),
  rule: z.enum(NOTIFICATION_RULES, { error: `must be one of ${NOTIFICATION_RULES.join(', ')}` }).optional(),
});
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;

export const NotificationPage = page(NotificationRecord);
export type NotificationPage = z.infer<typeof NotificationPage>;

export const NotificationIdParam = z.object({ id: serial('must be a notification id') });
