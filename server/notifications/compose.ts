/**
 * What each rule says, and to whom. Subjects name what happened (the ticket for an emergency, the
 * client for hours at risk). A client user's message is built from the plan as that client sees
 * it (plan-view.ts: its own figures, explanations that name nobody else) and says the dashboard's
 * own sentence (shared/hours-sentences.ts); staff hear of their own work; chat posts name the
 * client and the manager who declared, never a staff member or a client user.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientPlan, Plan } from '../../solver/index.ts';
import { fmtQuarterHours, hoursSentences } from '../../shared/hours-sentences.ts';
import type { NotificationRule } from '../../shared/api/notifications.ts';
import { weekDate, weekLong } from '../../shared/week-format.ts';
import type { Viewer } from '../auth/viewer.ts';
import { Client, Ticket, type Quarter } from '../db/entities.ts';
import { viewPlan } from '../modules/plans/plan-view.ts';
import type { Message } from './outbox.ts';
import { recipients, type Recipient } from './preferences.ts';

export interface Composer {
  em: EntityManager;
  /** The dashboard's address, for links. */
  base: string;
}

type QuarterWeeks = Pick<Quarter, 'id' | 'weeks' | 'currentWeek' | 'startDate'>;

const link = (c: Composer, path: string) => new URL(path, c.base).toString();
const h = (x: number) => `${fmtQuarterHours(x)} h`;
const paragraphs = (...parts: (string | null | false | undefined)[]) => parts.filter(Boolean).join('\n\n');

function mail(rule: NotificationRule, to: Recipient, about: string | null, period: string, subject: string, body: string): Message {
  return { rule, channel: 'email', userId: to.id, address: to.email, clientId: about, period, subject, body };
}

function chat(rule: NotificationRule, about: string | null, period: string, subject: string, text: string): Message {
  return { rule, channel: 'chat', userId: null, address: null, clientId: about, period, subject, body: text };
}

/**
 * At-risk hours worth an alert: above the larger of 8 h and 10 % of the client's hours this quarter
 * (bought and rolled in), in quarter hours.
 */
export function atRiskThreshold(c: Pick<ClientPlan, 'boughtHours' | 'rolloverInHours'>): number {
  return Math.max(8, Math.ceil(0.1 * (c.boughtHours + c.rolloverInHours) * 4 - 1e-9) / 4);
}

/** Whether a client (as it sees its own figures) is to be told: at risk above the threshold, or its present-by week within 2 weeks. */
export function atRiskDue(c: ClientPlan, currentWeek: number): boolean {
  if (c.plan !== 'prepaid' || c.atRiskHours <= 0) return false;
  if (c.atRiskHours > atRiskThreshold(c)) return true;
  return c.presentByWeek !== null && c.presentByWeek !== undefined && c.presentByWeek - currentWeek <= 2;
}

const clientViewer = (clientId: string): Viewer => ({ userId: 0, email: '', role: 'client', clientId, staffId: null });

/** A client's figures as its own users see them. */
export function ownClient(plan: Plan, version: number, clientId: string): ClientPlan | null {
  const view = viewPlan(plan, version, clientViewer(clientId));
  return (view.clients as ClientPlan[] | undefined)?.[0] ?? null;
}

async function declarer(em: EntityManager, ticketId: string): Promise<string | null> {
  const rows = await em.execute<{ email: string }[]>(
    `select u.email from audit_log a join users u on u.id = a.user_id and u.role = 'manager' where a.entity = 'ticket' and a.entity_id = ? order by a.id desc limit 1`,
    [ticketId],
  );
  return rows[0]?.email ?? null;
}

/** An emergency declared: every manager by mail, and the company's chat. */
export async function emergencyDeclared(c: Composer, e: { quarterId: string; ticketId: string; clientId: string }): Promise<Message[]> {
  const ticket = await c.em.findOne(Ticket, { id: e.ticketId });
  const client = await c.em.findOne(Client, { id: e.clientId });
  if (!ticket || !client) return [];
  const by = await declarer(c.em, ticket.id);
  const period = `${e.quarterId}/${ticket.id}`;
  const subject = `Emergency ${ticket.id}: ${ticket.title} (${client.name})`;
  const body = paragraphs(
    `An emergency was declared on ticket ${ticket.id}, "${ticket.title}", for ${client.name}${by ? ` by ${by}` : ''}.`,
    'It is served this week before all other work; the plan is being updated.',
    `The ticket queue: ${link(c, '/manager/tickets')}`,
  );
  const managers = await recipients(c.em, 'emergency', ['manager']);
  return [
    ...managers.map((m) => mail('emergency', m, client.id, period, subject, body)),
    chat('emergency', client.id, period, subject, `:rotating_light: Emergency ${ticket.id} for ${client.name}: ${ticket.title}. Declared by ${by ?? 'a manager'}.`),
  ];
}

/** Staff planned on an open emergency of the quarter, once per person and emergency (so only those newly planned on it). */
export async function emergencyStaff(c: Composer, q: QuarterWeeks, plan: Plan): Promise<Message[]> {
  const emergencies = await c.em.find(Ticket, { quarterId: q.id, emergency: true, status: 'open' });
  const out: Message[] = [];
  for (const t of emergencies) {
    const rows = plan.allocations.filter((a) => a.ticket === t.id);
    if (rows.length === 0) continue;
    const client = plan.clients.find((x) => x.id === t.clientId);
    const people = await recipients(c.em, 'emergency', ['staff'], { staffIds: [...new Set(rows.map((a) => a.staff))] });
    for (const p of people) {
      const own = rows.filter((a) => a.staff === p.staffId).sort((a, b) => a.week - b.week);
      const lines = own.map((a) => `- ${weekLong(q.startDate, a.week)}: ${h(a.hours)}`);
      const body = paragraphs(
        `You are planned on the emergency ${t.id}, "${t.title}"${client ? ` for ${client.name}` : ''}:`,
        lines.join('\n'),
        `Your weeks: ${link(c, '/staff')}`,
      );
      out.push(mail('emergency', p, t.clientId, `${q.id}/${t.id}`, `Emergency ${t.id}: you are planned on it`, body));
    }
  }
  return out;
}

/** Each person's rows in one week, in one pass over the plan. */
function rowsIn(plan: Plan, week: number): Map<string, Plan['allocations']> {
  const by = new Map<string, Plan['allocations']>();
  for (const a of plan.allocations) {
    if (a.week !== week) continue;
    const list = by.get(a.staff);
    if (list) list.push(a);
    else by.set(a.staff, [a]);
  }
  return by;
}

/** Someone's rows in a week, "ticket:hours" sorted: equal keys, the same week's work. */
const weekKey = (rows: Plan['allocations'] | undefined) => (rows ?? []).map((a) => `${a.ticket}:${a.hours}`).sort().join(',');

/** A re-plan moved people's current week: each of them, at most once an hour. */
export async function weekMoved(c: Composer, q: QuarterWeeks, plan: Plan, previous: Plan, staffIds: readonly string[], now = new Date()): Promise<Message[]> {
  const week = plan.quarter.currentWeek;
  const after = rowsIn(plan, week);
  const before = rowsIn(previous, week);
  const moved = staffIds.filter((s) => weekKey(after.get(s)) !== weekKey(before.get(s)));
  const people = await recipients(c.em, 'replan', ['staff'], { staffIds: moved });
  const hour = now.toISOString().slice(0, 13);
  return people.map((p) => {
    const rows = after.get(p.staffId ?? '') ?? [];
    const hoursBefore = (before.get(p.staffId ?? '') ?? []).reduce((s, a) => s + a.hours, 0);
    const total = rows.reduce((s, a) => s + a.hours, 0);
    const body = paragraphs(
      `A re-plan changed your hours this week, ${weekLong(q.startDate, week)}: ${h(total)} now, ${h(hoursBefore)} before.`,
      rows.length ? rows.map((a) => `- ${a.ticket} (${plan.clients.find((x) => x.id === a.client)?.name ?? a.client}): ${h(a.hours)}`).join('\n') : 'Nothing is planned for you this week now.',
      `Your weeks: ${link(c, '/staff')}`,
    );
    return { ...mail('replan', p, null, `${q.id}/${hour}`, `Your week changed: ${weekLong(q.startDate, week)}`, body), quietMinutes: 60 };
  });
}

/** Hours at risk of expiring: the client's users, with the dashboard's sentence, and the company's chat. */
export async function atRisk(c: Composer, q: QuarterWeeks, plan: Plan, version: number, clientIds?: readonly string[]): Promise<Message[]> {
  const out: Message[] = [];
  const week = q.currentWeek;
  for (const whole of plan.clients) {
    if (clientIds && !clientIds.includes(whole.id)) continue;
    // The figures the rule reads are the client's own as they are (its view re-words only the
    // explanations): only a client that is due is cut down to its view, for the sentence.
    if (!atRiskDue(whole, week)) continue;
    const own = ownClient(plan, version, whole.id);
    if (!own || !atRiskDue(own, week)) continue;
    const period = `${q.id}/week-${week}`;
    const subject = `${own.name}: ${h(own.atRiskHours)} at risk of expiring`;
    const threshold = atRiskThreshold(own);
    const body = paragraphs(
      hoursSentences(own, q, true).expiry,
      `At risk: ${h(own.atRiskHours)} of the ${h(own.boughtHours + own.rolloverInHours)} of this quarter (we tell you above ${h(threshold)}, or when the week to present tasks by is close).`,
      `Your hours: ${link(c, '/client')}`,
    );
    for (const u of await recipients(c.em, 'at-risk', ['client'], { clientId: own.id })) out.push(mail('at-risk', u, own.id, period, subject, body));
    out.push(chat('at-risk', own.id, `${period}/${own.id}`, subject, `:hourglass: ${own.name}: ${h(own.atRiskHours)} at risk of expiring (alert above ${h(threshold)}). ${hoursSentences(own, q, false).expiry}`));
  }
  return out;
}

/** The Monday (YYYY-MM-DD, UTC) of the week `now` falls in. */
export function mondayOf(now: Date): string {
  const day = (now.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day)).toISOString().slice(0, 10);
}

/** Monday's digest: each client user its client's hours and this week's work; each staff member their week. */
export async function digest(c: Composer, q: QuarterWeeks, plan: Plan, version: number, monday: string): Promise<Message[]> {
  const out: Message[] = [];
  const week = q.currentWeek;
  const period = `week-of-${monday}`;
  const when = weekLong(q.startDate, week);
  const titles = new Map((await c.em.find(Ticket, { quarterId: q.id }, { fields: ['id', 'title'] })).map((t) => [t.id, t.title]));
  const byTicket = (rows: Plan['allocations']) => {
    const sums = new Map<string, number>();
    for (const a of rows) sums.set(a.ticket, (sums.get(a.ticket) ?? 0) + a.hours);
    return [...sums].map(([t, hours]) => `- ${t} ${titles.get(t) ?? ''}: ${h(hours)}`.replace(' :', ':'));
  };

  const clientUsers = await recipients(c.em, 'digest', ['client']);
  for (const clientId of new Set(clientUsers.map((u) => u.clientId).filter((x): x is string => x !== null))) {
    const own = ownClient(plan, version, clientId);
    if (!own) continue;
    const thisWeek = byTicket(plan.allocations.filter((a) => a.client === clientId && a.week === week));
    const body = paragraphs(
      `Your hours this quarter, ${when}:`,
      [`- Used: ${h(own.usedHours)}`, `- Planned: ${h(own.plannedHours)}`, ...(own.plan === 'prepaid' ? [`- At risk of expiring: ${h(own.atRiskHours)}`] : [])].join('\n'),
      hoursSentences(own, q, true).expiry,
      thisWeek.length ? `Planned this week:\n${thisWeek.join('\n')}` : 'Nothing is planned this week.',
      `Your hours: ${link(c, '/client')}`,
    );
    const subject = `Weekly digest for ${own.name}: week of ${weekDate(q.startDate, week) || monday}`;
    for (const u of clientUsers.filter((x) => x.clientId === clientId)) out.push(mail('digest', u, clientId, period, subject, body));
  }

  for (const u of await recipients(c.em, 'digest', ['staff'])) {
    if (!u.staffId) continue;
    const rows = plan.allocations.filter((a) => a.staff === u.staffId && a.week === week);
    const capacity = plan.staff.find((s) => s.id === u.staffId)?.capacity[week] ?? 0;
    const total = rows.reduce((s, a) => s + a.hours, 0);
    const lines = rows.map((a) => `- ${a.ticket} ${titles.get(a.ticket) ?? ''} (${plan.clients.find((x) => x.id === a.client)?.name ?? a.client}): ${h(a.hours)}`);
    const body = paragraphs(
      `Your week, ${when}: ${h(total)} planned of your ${h(capacity)}.`,
      lines.length ? lines.join('\n') : 'Nothing is planned for you this week.',
      `Your weeks: ${link(c, '/staff')}`,
    );
    out.push(mail('digest', u, null, period, `Your week: ${when}`, body));
  }
  return out;
}

/** An invitation or a reset link: the mail carries the link; the stored copy does not (only the token's hash is kept). */
export function accountLink(c: Composer, user: Recipient, link: { path: string; purpose: 'invite' | 'reset'; expiresAt: string }): { message: Message; secretBody: string } {
  const url = new URL(link.path, c.base);
  const withheld = new URL(link.path, c.base);
  withheld.searchParams.set('token', 'withheld');
  const expires = new Date(link.expiresAt).toUTCString();
  const text = (href: string) =>
    paragraphs(
      link.purpose === 'invite' ? `You are invited to Hourglass as ${user.email} (${user.role}). Set your password to sign in:` : `A manager made a link to set a new password for ${user.email}:`,
      href,
      `The link works once and until ${expires}. If you did not expect it, ignore this mail.`,
    );
  const subject = link.purpose === 'invite' ? 'You are invited to Hourglass: set your password' : 'Set a new Hourglass password';
  return { message: mail('account', user, user.clientId, `${link.purpose}/${link.expiresAt}`, subject, text(withheld.toString())), secretBody: text(url.toString()) };
}
