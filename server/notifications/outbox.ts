/**
 * The notifications table: every message once per rule, recipient and period (the unique key
 * makes a second run of a rule insert nothing, so it sends nothing), and its delivery: a message
 * is claimed (`sending`, one more attempt), sent, and then `sent`, or `queued` again for a later
 * try, or `failed` once its attempts are used up, with the last error kept for the managers' list.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { NotificationRecord, NotificationRule } from '../../shared/api/notifications.ts';

export interface Message {
  rule: NotificationRule;
  channel: 'email' | 'chat';
  /** The user mailed (null for chat). */
  userId: number | null;
  address: string | null;
  /** The client the message is about; a client user's messages must be about its own. */
  clientId: string | null;
  /** With rule and recipient, what makes the message once: a week, a ticket, a link. */
  period: string;
  subject: string;
  body: string;
  /** Nothing is queued if this recipient was sent this rule less than this many minutes ago. */
  quietMinutes?: number;
}

export interface Row {
  id: number;
  rule: NotificationRule;
  channel: 'email' | 'chat';
  recipient: string;
  user_id: number | null;
  address: string | null;
  client_id: string | null;
  period: string;
  subject: string;
  body: string;
  status: NotificationRecord['status'];
  attempts: number;
  last_error: string | null;
  transport: string | null;
  created_at: Date | string;
  sent_at: Date | string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function recordOf(r: Row): NotificationRecord {
  return {
    id: r.id,
    rule: r.rule,
    channel: r.channel,
    to: r.channel === 'chat' ? 'chat' : (r.address ?? ''),
    userId: r.user_id,
    clientId: r.client_id,
    period: r.period,
    subject: r.subject,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    transport: r.transport,
    createdAt: iso(r.created_at),
    sentAt: r.sent_at ? iso(r.sent_at) : null,
  };
}

/**
 * Queues the messages not queued before (same rule, recipient and period): answers the new rows'
 * ids. An email to a client user about any other client than its own is refused here, whatever
 * the caller composed: a client never receives anything about another client.
 */
export async function enqueue(em: EntityManager, messages: Message[]): Promise<number[]> {
  const ids: number[] = [];
  if (messages.length === 0) return ids;
  const userIds = [...new Set(messages.map((m) => m.userId).filter((u): u is number => u !== null))];
  const users = userIds.length
    ? await em.execute<{ id: number; role: string; client_id: string | null }[]>(`select id, role, client_id from users where id in (${userIds.map(() => '?').join(', ')})`, userIds)
    : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  for (const m of messages) {
    if (m.channel === 'email') {
      const u = m.userId === null ? undefined : byId.get(m.userId);
      if (!u || !m.address) continue;
      if (u.role === 'client' && (m.clientId === null || m.clientId !== u.client_id)) continue;
    }
    const recipient = m.channel === 'chat' ? 'chat' : String(m.userId);
    const quiet = m.quietMinutes
      ? `and not exists (select 1 from notifications n where n.rule = ? and n.recipient = ? and n.created_at > now() - make_interval(mins => ?))`
      : '';
    const rows = await em.execute<{ id: number }[]>(
      `insert into notifications (rule, channel, recipient, user_id, address, client_id, period, subject, body)
       select ?, ?, ?, ?, ?, ?, ?, ?, ? where true ${quiet}
       on conflict (rule, recipient, period) do nothing returning id`,
      [m.rule, m.channel, recipient, m.userId, m.address, m.clientId, m.period, m.subject, m.body, ...(m.quietMinutes ? [m.rule, recipient, m.quietMinutes] : [])],
    );
    if (rows[0]) ids.push(rows[0].id);
  }
  return ids;
}

/** A message whose claim is older than this is taken to be lost with its process, and tried again. */
const STALE_CLAIM_MINUTES = 5;

/** Claims a message to send it: one more attempt. Null when it is sent, failed, or in another's hands. */
export async function claim(em: EntityManager, id: number): Promise<Row | null> {
  const rows = await em.execute<Row[]>(
    `update notifications set status = 'sending', attempts = attempts + 1, updated_at = now()
     where id = ? and (status = 'queued' or (status = 'sending' and updated_at < now() - make_interval(mins => ?)))
     returning *`,
    [id, STALE_CLAIM_MINUTES],
  );
  return rows[0] ?? null;
}

export async function markSent(em: EntityManager, id: number, transport: string): Promise<void> {
  await em.execute(`update notifications set status = 'sent', transport = ?, last_error = null, sent_at = now(), updated_at = now() where id = ?`, [transport, id]);
}

/** A failed try: queued again after `retryInSeconds`, or failed for good when `final`. */
export async function markFailedTry(em: EntityManager, id: number, error: string, final: boolean, retryInSeconds: number): Promise<void> {
  await em.execute(
    `update notifications set status = ?, last_error = ?, next_attempt_at = now() + make_interval(secs => ?), updated_at = now() where id = ?`,
    [final ? 'failed' : 'queued', error.slice(0, 1000), retryInSeconds, id],
  );
}

/** Messages waiting for a try (oldest first): what a starting runner picks up. */
export async function waiting(em: EntityManager): Promise<{ id: number; rule: string; dueInMs: number }[]> {
  const rows = await em.execute<{ id: number; rule: string; due_ms: string | number }[]>(
    `select id, rule, greatest(0, extract(epoch from (next_attempt_at - now())) * 1000) as due_ms from notifications
     where status = 'queued' or (status = 'sending' and updated_at < now() - make_interval(mins => ?)) order by id`,
    [STALE_CLAIM_MINUTES],
  );
  return rows.map((r) => ({ id: r.id, rule: r.rule, dueInMs: Number(r.due_ms) }));
}
