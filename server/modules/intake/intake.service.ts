/**
 * Ticket trackers (issue 13): a tracker's delivery, checked and applied. A verified issue
 * becomes a ticket (or updates the one it became, found by the tracker's id), in the same kind
 * of write as POST /api/tickets: one transaction with its audit row, a re-plan and events. Every
 * delivery is logged in intake_events with its outcome and why.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncomingHttpHeaders } from 'node:http';
import type { IntakeAnswer, IntakeEventListQuery, IntakeEventPage, IntakeEventRecord, IntakeOutcome, IntakeSourceConfig, IntakeSourceName, IntakeSourcePut, IntakeSourceRecord } from '../../../shared/api/intake.ts';
import { Client, Quarter, Ticket } from '../../db/entities.ts';
import { AppError, notFound, validationError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { WriteContext } from '../../store.ts';
import { decodeCursor, pageOf } from '../paging.ts';
import { FOR_UPDATE } from '../resource-helpers.ts';
import { ticketJson, loggedHours } from '../tickets/ticket-json.ts';
import { nextTicketId, ticketChanged } from '../tickets/tickets.service.ts';
import { deliveryIdOf, emergencyRequested, estimateOf, eventHeaderOf, INTAKE_DEFAULT_ESTIMATE, priorityOf, READERS, signatureValid, skillOf, type TrackerIssue } from './trackers.ts';

interface SourceRow {
  source: IntakeSourceName;
  secret: string;
  config: IntakeSourceConfig;
  updated_at: Date | string;
}

interface Logged {
  source: string;
  deliveryId: string | null;
  externalId: string | null;
  event: string | null;
  outcome: IntakeOutcome;
  reason: string | null;
  ticket: string | null;
}

export interface Delivery {
  status: number;
  answer: IntakeAnswer;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export function sourceRecord(row: SourceRow): IntakeSourceRecord {
  const c = row.config;
  return {
    source: row.source,
    clients: c.clients ?? {},
    priorities: c.priorities ?? {},
    defaultPriority: c.defaultPriority ?? 3,
    emergencyLabel: c.emergencyLabel ?? null,
    skillLabels: c.skillLabels ?? {},
    estimateField: c.estimateField ?? null,
    updatedAt: iso(row.updated_at),
    path: `/api/intake/${row.source}`,
  };
}

async function logEvent(em: EntityManager, e: Logged): Promise<number> {
  const rows = await em.execute<{ id: number }[]>(
    'insert into intake_events (source, delivery_id, external_id, event, outcome, reason, ticket_id) values (?, ?, ?, ?, ?, ?, ?) returning id',
    [e.source, e.deliveryId, e.externalId, e.event?.slice(0, 200) ?? null, e.outcome, e.reason?.slice(0, 1000) ?? null, e.ticket],
  );
  return Number(rows[0]!.id);
}

/** Logged with the event that raised the request, so managers see it on /manager/integrations. */
const REQUESTED = 'emergency requested by its label: a manager declares it or dismisses the request';

/** An outcome that is not a change: answered 202 with its reason. */
class Ignored extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export class IntakeService {
  constructor(private readonly s: Services) {}

  private async sourceRow(em: EntityManager, source: IntakeSourceName): Promise<SourceRow | null> {
    const rows = await em.execute<SourceRow[]>('select source, secret, config, updated_at from intake_sources where source = ?', [source]);
    const row = rows[0];
    if (!row) return null;
    return { ...row, config: typeof row.config === 'string' ? JSON.parse(row.config) : row.config };
  }

  async listSources(): Promise<IntakeSourceRecord[]> {
    const rows = await this.s.store.reader().execute<SourceRow[]>('select source, config, updated_at from intake_sources order by source');
    return rows.map((r) => sourceRecord({ ...r, config: typeof r.config === 'string' ? JSON.parse(r.config) : r.config }));
  }

  async putSource(v: Parameters<Services['store']['write']>[0], source: IntakeSourceName, body: IntakeSourcePut): Promise<IntakeSourceRecord> {
    const { secret, ...config } = body;
    return this.s.store.write(v, 'tracker connected', async (w) => {
      const ids = [...new Set(Object.values(config.clients))];
      const found = new Set(ids.length ? (await w.tx.find(Client, { id: { $in: ids } }, { fields: ['id'] })).map((c) => c.id) : []);
      const unknown = Object.entries(config.clients).filter(([, id]) => !found.has(id));
      if (unknown.length) throw validationError(unknown.map(([key, id]) => ({ field: `clients.${key}`, message: `no client has the id "${id}"` })));
      const before = await this.sourceRow(w.tx, source);
      const rows = await w.tx.execute<SourceRow[]>(
        `insert into intake_sources (source, secret, config, updated_at) values (?, ?, ?::jsonb, now())
         on conflict (source) do update set secret = excluded.secret, config = excluded.config, updated_at = now()
         returning source, config, updated_at`,
        [source, secret, JSON.stringify(config)],
      );
      const after = sourceRecord({ ...rows[0]!, secret: '', config });
      // The audit keeps the mapping, never the secret.
      w.audit(before ? 'update' : 'create', 'intake-source', source, before ? sourceRecord(before) : null, after);
      return after;
    });
  }

  async deleteSource(v: Parameters<Services['store']['write']>[0], source: IntakeSourceName): Promise<void> {
    await this.s.store.write(v, 'tracker disconnected', async (w) => {
      const before = await this.sourceRow(w.tx, source);
      if (!before) throw notFound(`Tracker ${source}`);
      await w.tx.execute('delete from intake_sources where source = ?', [source]);
      w.audit('delete', 'intake-source', source, sourceRecord(before), null);
    });
  }

  async events(q: IntakeEventListQuery): Promise<IntakeEventPage> {
    const after = decodeCursor('intake-events', q.cursor, 'number');
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.source) (where.push('source = ?'), args.push(q.source));
    if (q.outcome) (where.push('outcome = ?'), args.push(q.outcome));
    const filter = where.length ? `where ${where.join(' and ')}` : '';
    const em = this.s.store.reader();
    const total = Number((await em.execute<{ n: string }[]>(`select count(*) as n from intake_events ${filter}`, args))[0]!.n);
    const page = where.concat(after === undefined ? [] : ['id < ?']);
    const rows = await em.execute<Record<string, unknown>[]>(
      `select * from intake_events ${page.length ? `where ${page.join(' and ')}` : ''} order by id desc limit ?`,
      [...args, ...(after === undefined ? [] : [after]), q.limit + 1],
    );
    const items: IntakeEventRecord[] = rows.map((r) => ({
      id: Number(r.id),
      source: String(r.source),
      deliveryId: (r.delivery_id as string | null) ?? null,
      externalId: (r.external_id as string | null) ?? null,
      event: (r.event as string | null) ?? null,
      outcome: r.outcome as IntakeOutcome,
      reason: (r.reason as string | null) ?? null,
      ticket: (r.ticket_id as string | null) ?? null,
      receivedAt: iso(r.received_at as Date),
    }));
    return pageOf('intake-events', items, q, total, (e) => e.id);
  }

  /** One delivery from a tracker: verified, read, applied and logged. */
  async receive(source: IntakeSourceName, headers: IncomingHttpHeaders, raw: Buffer | undefined, body: unknown): Promise<Delivery> {
    const em = this.s.store.reader();
    const row = await this.sourceRow(em, source);
    // No secret, no tracker: the same answer as a path that does not exist.
    if (!row) throw notFound(`Tracker ${source} (a manager connects it: PUT /api/intake/sources/${source})`);
    const deliveryId = deliveryIdOf(source, headers);
    const base = { source, deliveryId, externalId: null, ticket: null };
    if (!raw || !signatureValid(source, row.secret, raw, headers)) {
      // Logged without anything the body says: it is not the tracker's until its signature is.
      await logEvent(em, { ...base, event: eventHeaderOf(source, headers), outcome: 'refused', reason: 'bad signature' });
      throw new AppError(401, 'unauthenticated', `This delivery is not signed with the ${source} secret (${source === 'gitlab' ? 'X-Gitlab-Token' : 'HMAC-SHA256 of the body'}); nothing was stored.`);
    }
    const reading = READERS[source](headers, body);
    if ('refused' in reading) {
      const id = await logEvent(em, { ...base, event: reading.event, outcome: 'refused', reason: reading.refused });
      throw new AppError(400, 'bad_request', `Refused: ${reading.refused} (event ${id}).`);
    }
    if ('ignored' in reading) {
      const id = await logEvent(em, { ...base, externalId: reading.externalId ?? null, event: reading.event, outcome: 'ignored', reason: reading.ignored });
      return { status: 202, answer: { outcome: 'ignored', reason: reading.ignored, ticket: null, event: id } };
    }
    const issue = reading.issue;
    const logged = { ...base, externalId: issue.externalId, event: issue.event };
    const clientId = clientFor(row.config, issue.project);
    if (!clientId) {
      const reason = `${source === 'jira' || source === 'generic' ? 'project' : 'repository'} "${issue.project}" is not mapped to a client`;
      const id = await logEvent(em, { ...logged, outcome: 'ignored', reason });
      return { status: 202, answer: { outcome: 'ignored', reason, ticket: null, event: id } };
    }
    // Two deliveries of one new issue at once: the second insert breaks the unique (source,
    // external_id) and is tried again, finding the first one's ticket.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.apply(source, row.config, clientId, issue, logged);
      } catch (err) {
        if (err instanceof UniqueConstraintViolationException && attempt === 0) continue;
        throw err;
      }
    }
  }

  private async apply(source: IntakeSourceName, cfg: IntakeSourceConfig, clientId: string, issue: TrackerIssue, logged: Omit<Logged, 'outcome' | 'reason' | 'ticket'>): Promise<Delivery> {
    return this.s.store.write(null, `ticket from ${source}`, async (w) => {
      const { tx } = w;
      let outcome: 'created' | 'updated';
      let reason: string | null = null;
      let ticketId: string;
      try {
        const existing = await tx.findOne(Ticket, { source, externalId: issue.externalId }, FOR_UPDATE);
        if (existing) {
          ticketId = existing.id;
          reason = await this.update(w, cfg, existing, issue, source);
          outcome = 'updated';
        } else {
          ticketId = await this.create(w, cfg, clientId, issue, source);
          outcome = 'created';
          if (emergencyRequested(cfg, issue)) reason = REQUESTED;
        }
      } catch (err) {
        if (!(err instanceof Ignored)) throw err;
        const existing = await tx.findOne(Ticket, { source, externalId: issue.externalId }, { fields: ['id'] });
        const id = await logEvent(tx, { ...logged, outcome: 'ignored', reason: err.reason, ticket: existing?.id ?? null });
        return { status: 202, answer: { outcome: 'ignored', reason: err.reason, ticket: existing?.id ?? null, event: id } };
      }
      const id = await logEvent(tx, { ...logged, outcome, reason, ticket: ticketId });
      return { status: outcome === 'created' ? 201 : 200, answer: { outcome, reason, ticket: ticketId, event: id } };
    });
  }

  private async create(w: WriteContext, cfg: IntakeSourceConfig, clientId: string, issue: TrackerIssue, source: IntakeSourceName): Promise<string> {
    const { tx } = w;
    if (issue.state === 'closed') throw new Ignored('closed before it became a ticket: nothing to close');
    const client = await tx.findOne(Client, { id: clientId }, { fields: ['active'] });
    if (!client) throw new Ignored(`client "${clientId}" no longer exists`);
    if (!client.active) throw new Ignored(`client "${clientId}" is inactive`);
    const q = await tx.findOne(Quarter, { closedAt: null }, { orderBy: { createdAt: 'desc', id: 'desc' } });
    if (!q) throw new Ignored('no quarter is open');
    const ticket = tx.create(Ticket, {
      id: await nextTicketId(tx),
      clientId,
      quarterId: q.id,
      title: issue.title,
      description: issue.body,
      priority: priorityOf(cfg, issue),
      estimateHours: estimateOf(source, cfg, issue) ?? INTAKE_DEFAULT_ESTIMATE,
      spentBaseline: 0,
      openedWeek: q.currentWeek,
      skill: skillOf(cfg, issue),
      dueWeek: null,
      emergency: false,
      emergencyRequested: emergencyRequested(cfg, issue),
      status: 'open',
      source,
      externalId: issue.externalId,
      url: issue.url,
      trackerUpdatedAt: issue.updatedAt,
    });
    await tx.flush();
    ticketChanged(this.s, w, ticketJson(ticket, 0), null, 'created');
    return ticket.id;
  }

  /** The issue as it is now, on its ticket; the reason logged with "updated" (null for a plain update). */
  private async update(w: WriteContext, cfg: IntakeSourceConfig, t: Ticket, issue: TrackerIssue, source: IntakeSourceName): Promise<string | null> {
    const { tx } = w;
    if (t.trackerUpdatedAt && issue.updatedAt.getTime() < t.trackerUpdatedAt.getTime()) throw new Ignored('older than the last event');
    const q = await tx.findOne(Quarter, { id: t.quarterId }, { fields: ['closedAt'] });
    if (q?.closedAt) throw new Ignored(`its ticket ${t.id} is in closed quarter ${t.quarterId}`);
    const logged = (await loggedHours(tx, [t.id])).get(t.id) ?? 0;
    const before = ticketJson(t, logged);
    const estimate = estimateOf(source, cfg, issue);
    const wanted: Partial<Ticket> = {
      title: issue.title,
      description: issue.body,
      priority: priorityOf(cfg, issue),
      url: issue.url ?? t.url ?? null,
      // A confirmed emergency is the manager's; the request follows the label until then.
      emergencyRequested: !t.emergency && emergencyRequested(cfg, issue),
      status: issue.state,
      ...(estimate !== null ? { estimateHours: estimate } : {}),
    };
    const skill = skillOf(cfg, issue);
    if (skill !== null) wanted.skill = skill;
    const changes = Object.entries(wanted).filter(([k, v]) => (t as Record<string, unknown>)[k] !== v);
    if (changes.length === 0) {
      // Nothing the ticket holds moved (a redelivery, an assignee): only the tracker's time, without a new version or a re-plan.
      await tx.execute('update tickets set tracker_updated_at = ? where id = ?', [issue.updatedAt, t.id]);
      return 'nothing changed';
    }
    for (const [k, v] of changes) (t as Record<string, unknown>)[k] = v;
    t.trackerUpdatedAt = issue.updatedAt;
    await tx.flush();
    const after = ticketJson(t, logged);
    ticketChanged(this.s, w, after, before, 'updated');
    if (after.status === 'closed' && before.status !== 'closed') return 'closed in the tracker';
    if (after.status === 'open' && before.status === 'closed') return 'reopened in the tracker';
    if (after.emergencyRequested && !before.emergencyRequested) return REQUESTED;
    return null;
  }
}

/** The client a repository or project maps to: exactly, else ignoring case. */
function clientFor(cfg: IntakeSourceConfig, project: string): string | null {
  const clients = cfg.clients ?? {};
  if (clients[project]) return clients[project]!;
  const key = Object.keys(clients).find((k) => k.toLowerCase() === project.toLowerCase());
  return key ? clients[key]! : null;
}
