/**
 * Who gets a rule: every rule is on unless switched off, by the user for themselves
 * (notification_prefs) or by a manager for a client (client_notification_prefs: then none of the
 * client's users get it). A rule only reaches the roles RULE_ROLES names.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { CLIENT_RULES, NOTIFICATION_RULES, RULE_LABELS, RULE_ROLES, type NotificationRule, type NotificationSwitch } from '../../shared/api/notifications.ts';
import type { Role } from '../db/entities.ts';

export interface Recipient {
  id: number;
  email: string;
  role: Role;
  clientId: string | null;
  staffId: string | null;
}

/**
 * The enabled users a rule reaches, of the roles given (a subset of the rule's), optionally only
 * those of one client or of some staff members. Disabled accounts get nothing.
 */
export async function recipients(
  em: EntityManager,
  rule: NotificationRule,
  roles: readonly Role[],
  where: { clientId?: string; staffIds?: readonly string[] } = {},
): Promise<Recipient[]> {
  const allowed = roles.filter((r) => RULE_ROLES[rule].includes(r));
  if (allowed.length === 0) return [];
  if (where.staffIds && where.staffIds.length === 0) return [];
  const params: unknown[] = [...allowed];
  let sql = `select u.id, u.email, u.role, u.client_id, u.staff_id from users u
    where u.disabled_at is null and u.role in (${allowed.map(() => '?').join(', ')})
      and not exists (select 1 from notification_prefs p where p.user_id = u.id and p.rule = ? and not p.enabled)
      and (u.client_id is null or u.role <> 'client' or not exists (select 1 from client_notification_prefs c where c.client_id = u.client_id and c.rule = ? and not c.enabled))`;
  params.push(rule, rule);
  if (where.clientId !== undefined) {
    sql += ` and u.client_id = ?`;
    params.push(where.clientId);
  }
  if (where.staffIds) {
    sql += ` and u.staff_id in (${where.staffIds.map(() => '?').join(', ')})`;
    params.push(...where.staffIds);
  }
  sql += ' order by u.id';
  const rows = await em.execute<{ id: number; email: string; role: Role; client_id: string | null; staff_id: string | null }[]>(sql, params);
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, clientId: r.client_id, staffId: r.staff_id }));
}

/** A user's own switches, one per rule that reaches their role. */
export async function userSwitches(em: EntityManager, user: { userId: number; role: Role; clientId: string | null }): Promise<NotificationSwitch[]> {
  const own = await em.execute<{ rule: NotificationRule; enabled: boolean }[]>('select rule, enabled from notification_prefs where user_id = ?', [user.userId]);
  const client =
    user.role === 'client' && user.clientId
      ? await em.execute<{ rule: NotificationRule; enabled: boolean }[]>('select rule, enabled from client_notification_prefs where client_id = ?', [user.clientId])
      : [];
  return NOTIFICATION_RULES.filter((r) => RULE_ROLES[r].includes(user.role)).map((rule) => ({
    rule,
    label: RULE_LABELS[rule],
    enabled: own.find((p) => p.rule === rule)?.enabled ?? true,
    ...(user.role === 'client' ? { offForClient: client.some((p) => p.rule === rule && !p.enabled) } : {}),
  }));
}

/** A client's switches (managers), one per rule that reaches client users. */
export async function clientSwitches(em: EntityManager, clientId: string): Promise<NotificationSwitch[]> {
  const rows = await em.execute<{ rule: NotificationRule; enabled: boolean }[]>('select rule, enabled from client_notification_prefs where client_id = ?', [clientId]);
  return CLIENT_RULES.map((rule) => ({ rule, label: RULE_LABELS[rule], enabled: rows.find((p) => p.rule === rule)?.enabled ?? true }));
}

export async function setUserSwitches(em: EntityManager, userId: number, rules: Partial<Record<NotificationRule, boolean>>): Promise<void> {
  for (const [rule, enabled] of Object.entries(rules)) {
    if (enabled === undefined) continue;
    await em.execute(`insert into notification_prefs (user_id, rule, enabled) values (?, ?, ?) on conflict (user_id, rule) do update set enabled = excluded.enabled`, [userId, rule, enabled]);
  }
}

export async function setClientSwitches(em: EntityManager, clientId: string, rules: Partial<Record<NotificationRule, boolean>>): Promise<void> {
  for (const [rule, enabled] of Object.entries(rules)) {
    if (enabled === undefined) continue;
    await em.execute(`insert into client_notification_prefs (client_id, rule, enabled) values (?, ?, ?) on conflict (client_id, rule) do update set enabled = excluded.enabled`, [clientId, rule, enabled]);
  }
}
