/**
 * Mail to tickets (issue 13). A mail the listener received is, by its sender (the From address):
 * - from a known client contact (a client user's email, or an email written in the client
 *   record's contact field): a ticket of that client, filed through the same write as
 *   POST /api/tickets (audited, re-planned, announced): subject → title, text → description, a
 *   `[P1]`…`[P4]` tag in the subject → priority (else MAIL_DEFAULT_PRIORITY), estimate
 *   MAIL_DEFAULT_ESTIMATE hours, opened in the current week of the current open quarter;
 *   or, when the subject names a ticket of that same client (`Re: [T-104] …`), its text is added
 *   to that ticket's description instead;
 * - from anyone else (or when it cannot be filed: an inactive client, no open quarter): held in
 *   `held_mails` for a manager to assign to a client or discard.
 * Only text is kept: of each attachment its file name, never its content; HTML is read as text
 * (mailparser's conversion) and nothing in a mail is run or rendered.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { HeldMailAssign, HeldMailListQuery, HeldMailRecord, HeldMailStatus } from '../../shared/api/mail-intake.ts';
import type { Page } from '../../shared/api/paging.ts';
import type { Priority } from '../../shared/api/tickets.ts';
import type { Viewer } from '../auth/viewer.ts';
import { Client, Quarter, Ticket, User } from '../db/entities.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import { decodeCursor, pageOf } from '../modules/paging.ts';
import type { TicketJson } from '../modules/tickets/ticket-json.ts';
import { TicketsService } from '../modules/tickets/tickets.service.ts';
import type { Services } from '../services.ts';

/** A mail's priority without a `[P1]`…`[P4]` tag: 3, normal (clients have no default priority of their own). */
export const MAIL_DEFAULT_PRIORITY: Priority = 3;
/** A ticket filed by mail gets this estimate until a manager refines it (as a client user's own). */
export const MAIL_DEFAULT_ESTIMATE = 2;

const TITLE_MAX = 500;
const DESCRIPTION_MAX = 20_000;

/** What the listener hands over: the parsed mail, text only. */
export interface InboundMail {
  from: string;
  fromName: string;
  subject: string;
  text: string;
  attachments: string[];
  receivedAt: Date;
}

export type IntakeOutcome =
  | { kind: 'ticket'; ticketId: string }
  | { kind: 'appended'; ticketId: string }
  | { kind: 'held'; mailId: number; reason: string };

/** Who a sender is: a client's contact (a user of it, or named in its contact field), or nobody known. */
type Sender = { clientId: string; user: Viewer | null } | { problem: string };

const EMAIL_IN_TEXT = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/g;

/** Text PostgreSQL can store: no NUL, no lone surrogate. */
export function storable(text: string): string {
  return text.replace(/\u0000/g, '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** The `[P1]`…`[P4]` tag of a subject, and the subject without it. */
export function priorityTag(subject: string): { priority: Priority | null; rest: string } {
  const m = /\[\s*P([1-4])\s*\]/i.exec(subject);
  if (!m) return { priority: null, rest: subject.trim() };
  return { priority: Number(m[1]) as Priority, rest: (subject.slice(0, m.index) + subject.slice(m.index + m[0].length)).replace(/\s{2,}/g, ' ').trim() };
}

/** The ids a subject may name: `[T-104]` in brackets, or a bare `T-104`-like word. */
export function subjectIds(subject: string): string[] {
  const ids = new Set<string>();
  for (const m of subject.matchAll(/\[([^\]\s]{1,64})\]/g)) ids.add(m[1]!);
  for (const m of subject.matchAll(/\b[A-Za-z][A-Za-z0-9]*-\d+\b/g)) ids.add(m[0]);
  return [...ids].filter((id) => !/^P[1-4]$/i.test(id));
}

/** A reply's own words: the quoted lines (`> …`) and the "On … wrote:" line before them dropped. */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const kept = lines.filter((l) => !/^\s*>/.test(l));
  while (kept.length > 0 && /^\s*$/.test(kept[kept.length - 1]!)) kept.pop();
  if (kept.length > 0 && /^On .+wrote:\s*$/i.test(kept[kept.length - 1]!.trim())) kept.pop();
  return kept.join('\n').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

function attachmentLine(names: string[]): string {
  return names.length > 0 ? `\n\nAttachments (not kept): ${names.join(', ')}` : '';
}

/** The description a new ticket gets from a mail. */
function newDescription(mail: Pick<InboundMail, 'from' | 'text' | 'attachments'>, followUpOf?: string): string {
  const head = followUpOf ? `Follow-up of ${followUpOf} (its quarter is closed).\n\n` : '';
  return clip(`${head}${mail.text.trim()}${attachmentLine(mail.attachments)}\n\n(by mail from ${mail.from})`.trim(), DESCRIPTION_MAX);
}

interface HeldRow {
  id: number;
  from_address: string;
  from_name: string;
  subject: string;
  text: string;
  attachment_names: string[] | string;
  reason: string;
  received_at: Date | string;
  status: HeldMailStatus;
  ticket_id: string | null;
  decided_at: Date | string | null;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

function heldRecord(r: HeldRow): HeldMailRecord {
  return {
    id: Number(r.id),
    from: r.from_address,
    fromName: r.from_name,
    subject: r.subject,
    text: r.text,
    attachments: typeof r.attachment_names === 'string' ? (JSON.parse(r.attachment_names) as string[]) : r.attachment_names,
    reason: r.reason,
    receivedAt: iso(r.received_at),
    status: r.status,
    ticket: r.ticket_id,
    decidedAt: r.decided_at === null ? null : iso(r.decided_at),
  };
}

export class MailIntake {
  private readonly tickets: TicketsService;

  constructor(private readonly s: Services) {
    this.tickets = new TicketsService(s);
  }

  /** Files, adds to or holds one received mail. */
  async receive(mail: InboundMail): Promise<IntakeOutcome> {
    const clean: InboundMail = {
      ...mail,
      from: storable(mail.from).toLowerCase(),
      fromName: clip(storable(mail.fromName), 500),
      subject: clip(storable(mail.subject), 2000),
      text: clip(storable(mail.text), DESCRIPTION_MAX),
      attachments: mail.attachments.map((n) => clip(storable(n), 255)).slice(0, 100),
    };
    const sender = await this.sender(clean.from);
    if ('problem' in sender) return this.hold(clean, sender.problem);
    try {
      return await this.s.store.write(sender.user, 'mail received', (w) => this.fileFrom(w.tx, sender.clientId, sender.user, clean));
    } catch (err) {
      // A mail that cannot be filed (an inactive client, no open quarter) waits for a manager.
      if (err instanceof AppError && err.status < 500) return this.hold(clean, `could not be filed for client ${sender.clientId}: ${err.message}`);
      throw err;
    }
  }

  /** Inside the write: a reply to one of the client's own tickets, or a new ticket. */
  private async fileFrom(tx: EntityManager, clientId: string, user: Viewer | null, mail: InboundMail): Promise<IntakeOutcome> {
    const asClient: Viewer = user ?? { userId: 0, email: mail.from, role: 'client', clientId, staffId: null };
    let followUpOf: string | undefined;
    for (const id of subjectIds(mail.subject)) {
      const ticket = await tx.findOne(Ticket, { id, clientId });
      if (!ticket) continue;
      const quarter = await tx.findOneOrFail(Quarter, { id: ticket.quarterId });
      if (quarter.closedAt) {
        followUpOf = ticket.id;
        continue;
      }
      const when = mail.receivedAt.toISOString().slice(0, 16).replace('T', ' ');
      const words = replyText(mail.text) || mail.text.trim();
      const added = `\n\n--- by mail from ${mail.from}, ${when} UTC ---\n${words}${attachmentLine(mail.attachments)}`;
      const description = clip(`${ticket.description}${added}`.replace(/^\s+/, ''), DESCRIPTION_MAX);
      // The ticket is the sender's client's own (checked above), so it is worded as a manager
      // would: a reply to a closed ticket is still added to it.
      const internal: Viewer = { ...asClient, role: 'manager' };
      await this.tickets.update(internal, ticket.id, { version: ticket.version, description });
      return { kind: 'appended', ticketId: ticket.id };
    }
    const { priority, rest } = priorityTag(mail.subject);
    const created = await this.tickets.create(asClient, {
      client: clientId,
      title: clip(rest || '(no subject)', TITLE_MAX),
      description: newDescription(mail, followUpOf),
      priority: priority ?? MAIL_DEFAULT_PRIORITY,
      estimateHours: MAIL_DEFAULT_ESTIMATE,
    });
    return { kind: 'ticket', ticketId: created.id };
  }

  /**
   * The client a sender speaks for: an enabled client user with that email, else the one client
   * whose contact field holds that email. Several clients naming one address is no answer.
   */
  private async sender(from: string): Promise<Sender> {
    if (!from.includes('@')) return { problem: 'the sender has no address' };
    const em = this.s.store.reader();
    const user = await em.findOne(User, { email: from, role: 'client', disabledAt: null });
    if (user?.clientId) {
      return { clientId: user.clientId, user: { userId: user.id, email: user.email, role: 'client', clientId: user.clientId, staffId: null } };
    }
    const candidates = await em.execute<{ id: string; contact: string }[]>(`select id, contact from clients where contact ilike ?`, [`%${from.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
    const matches = candidates.filter((c) => (c.contact.match(EMAIL_IN_TEXT) ?? []).some((e) => e.toLowerCase() === from));
    if (matches.length === 1) return { clientId: matches[0]!.id, user: null };
    if (matches.length > 1) return { problem: `the sender is the contact of several clients (${matches.map((m) => m.id).join(', ')})` };
    return { problem: 'the sender is no known client contact' };
  }

  private async hold(mail: InboundMail, reason: string): Promise<IntakeOutcome> {
    return this.s.store.write(null, 'mail held', async (w) => {
      const rows = await w.tx.execute<HeldRow[]>(
        `insert into held_mails (from_address, from_name, subject, text, attachment_names, reason, received_at) values (?, ?, ?, ?, ?::jsonb, ?, ?) returning *`,
        [mail.from, mail.fromName, mail.subject, mail.text, JSON.stringify(mail.attachments), reason, mail.receivedAt],
      );
      const record = heldRecord(rows[0]!);
      w.audit('create', 'held-mail', record.id, null, { ...record, text: undefined });
      return { kind: 'held', mailId: record.id, reason } as const;
    });
  }

  /** Held mails with one status, oldest first. */
  async list(query: HeldMailListQuery): Promise<Page<HeldMailRecord>> {
    const after = decodeCursor('held-mails', query.cursor, 'number') ?? 0;
    const em = this.s.store.reader();
    const rows = await em.execute<HeldRow[]>(`select * from held_mails where status = ? and id > ? order by id limit ?`, [query.status, after, query.limit + 1]);
    const total = await em.execute<{ n: string }[]>(`select count(*) as n from held_mails where status = ?`, [query.status]);
    return pageOf('held-mails', rows.map(heldRecord), query, Number(total[0]?.n ?? 0), (r) => r.id);
  }

  /** A manager files a held mail as a ticket of a client. */
  async assign(v: Viewer, id: number, body: HeldMailAssign): Promise<TicketJson> {
    return this.s.store.write(v, 'held mail assigned', async (w) => {
      const mail = await this.lockHeld(w.tx, id);
      const tag = priorityTag(mail.subject);
      if (!(await w.tx.findOne(Client, { id: body.clientId }, { fields: ['id'] }))) throw notFound(`Client ${body.clientId}`);
      const ticket = await this.tickets.create(v, {
        client: body.clientId,
        title: clip(tag.rest || '(no subject)', TITLE_MAX),
        description: newDescription(mail),
        priority: body.priority ?? tag.priority ?? MAIL_DEFAULT_PRIORITY,
        estimateHours: MAIL_DEFAULT_ESTIMATE,
      });
      await this.decide(w, v, mail, 'assigned', ticket.id);
      return ticket;
    });
  }

  /** A manager drops a held mail (it stays listed as discarded). */
  async discard(v: Viewer, id: number): Promise<HeldMailRecord> {
    return this.s.store.write(v, 'held mail discarded', async (w) => {
      const mail = await this.lockHeld(w.tx, id);
      return this.decide(w, v, mail, 'discarded', null);
    });
  }

  private async lockHeld(tx: EntityManager, id: number): Promise<HeldMailRecord> {
    const rows = await tx.execute<HeldRow[]>(`select * from held_mails where id = ? for update`, [id]);
    if (!rows[0]) throw notFound(`Held mail ${id}`);
    const mail = heldRecord(rows[0]);
    if (mail.status !== 'held') throw conflict(`Held mail ${id} was already ${mail.status}.`, { current: mail });
    return mail;
  }

  private async decide(w: { tx: EntityManager; audit: (a: string, e: string, id: number, before: unknown, after: unknown) => void }, v: Viewer, mail: HeldMailRecord, status: HeldMailStatus, ticketId: string | null): Promise<HeldMailRecord> {
    const rows = await w.tx.execute<HeldRow[]>(`update held_mails set status = ?, ticket_id = ?, decided_by = ?, decided_at = now() where id = ? returning *`, [status, ticketId, v.userId || null, mail.id]);
    const after = heldRecord(rows[0]!);
    w.audit('update', 'held-mail', mail.id, { status: mail.status }, { status: after.status, ticket: after.ticket });
    return after;
  }
}
