/**
 * Tickets as CSV, so a team can move in from its ticket tracker. Columns are the scenario's
 * ticket fields plus status and description. Import upserts by id into one quarter, follows the
 * SCENARIO.md rules (priority 1-4, hours ≥ 0 in quarter hours as JSON bodies have them, weeks
 * inside the quarter, known client), and is all-or-nothing. On an existing ticket, a column the
 * file leaves out keeps its value.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { compareIds } from '../../../solver/index.ts';
import { Client, Ticket, TimeEntry } from '../../db/entities.ts';
import type { EventBus } from '../../events.ts';
import type { WriteContext } from '../../store.ts';
import { hoursSchema } from '../../../shared/hours.ts';
import { boolCell, idCell, numberCell, optionalNumberCell, resolveWeek, textCell, weekCell } from './csv-cells.ts';
import { RowIssues, parseRow, readCsv, writeCsv } from './csv-format.ts';
import { assignChanged, ImportTally, openQuarter, round, sumBy, type ImportResult } from './csv-shared.ts';

export const TICKET_COLUMNS = ['id', 'client', 'title', 'priority', 'estimateHours', 'spentHours', 'openedWeek', 'skill', 'emergency', 'dueWeek', 'status', 'description'] as const;
const REQUIRED = ['id', 'client', 'priority', 'estimateHours', 'openedWeek'];

const TicketRow = z.object({
  id: idCell,
  client: idCell,
  title: textCell(500),
  priority: z
    .string()
    .trim()
    .refine((s) => /^[1-4]$/.test(s), { error: 'must be 1 (urgent), 2 (high), 3 (normal) or 4 (low)' })
    .transform(Number),
  // The JSON schemas' hours: in quarter hours, as the planner needs them.
  estimateHours: numberCell(hoursSchema()),
  spentHours: optionalNumberCell(hoursSchema()),
  openedWeek: weekCell.refine((s) => s !== '', { error: 'is required: the week the ticket was opened (or a date in it)' }),
  skill: textCell(100),
  emergency: boolCell,
  dueWeek: weekCell,
  status: z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => ['', 'open', 'closed'].includes(s), { error: 'must be open or closed' }),
  description: textCell(20_000),
});

export async function exportTickets(em: EntityManager, quarterId: string): Promise<string> {
  const tickets = (await em.find(Ticket, { quarterId })).sort((a, b) => compareIds(a.id, b.id));
  const logged = sumBy(await em.find(TimeEntry, { quarterId }, { fields: ['ticketId', 'hours'] }), (e) => e.ticketId, (e) => e.hours);
  const rows = tickets.map((t) => [
    t.id,
    t.clientId,
    t.title,
    t.priority,
    t.estimateHours,
    round(t.spentBaseline + (logged.get(t.id) ?? 0)),
    t.openedWeek,
    t.skill,
    t.emergency,
    t.dueWeek,
    t.status,
    t.description,
  ]);
  return writeCsv(TICKET_COLUMNS, rows);
}

export async function importTickets(w: WriteContext, events: EventBus, quarterParam: string | undefined, body: unknown, dryRun = false): Promise<ImportResult> {
  const { header, rows } = readCsv(body, TICKET_COLUMNS, REQUIRED);
  const { tx } = w;
  const quarter = await openQuarter(tx, quarterParam);
  const quarterId = quarter.id;
  const issues = new RowIssues();

  type Parsed = { row: number; data: Omit<Ticket, 'createdAt' | 'updatedAt' | 'version' | 'spentBaseline' | 'source' | 'externalId' | 'url' | 'trackerUpdatedAt' | 'emergencyRequested'>; spent: number | undefined };
  const parsed: Parsed[] = [];
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const p = parseRow(TicketRow, r, issues);
    if (!p) continue;
    const seen = firstRow.get(p.id);
    if (seen !== undefined) issues.add(r.row, 'id', `duplicate id "${p.id}" (also row ${seen})`);
    firstRow.set(p.id, seen ?? r.row);
    const opened = resolveWeek(quarter, p.openedWeek, true);
    if ('message' in opened) issues.add(r.row, 'openedWeek', opened.message);
    const due = p.dueWeek === '' ? { week: null } : resolveWeek(quarter, p.dueWeek, false);
    if ('message' in due) issues.add(r.row, 'dueWeek', due.message);
    if ('message' in opened || 'message' in due) continue;
    parsed.push({
      row: r.row,
      spent: p.spentHours,
      data: {
        id: p.id,
        clientId: p.client,
        quarterId,
        title: p.title || p.id,
        description: p.description,
        priority: p.priority,
        estimateHours: p.estimateHours,
        openedWeek: opened.week,
        skill: p.skill || null,
        dueWeek: due.week,
        emergency: p.emergency,
        status: p.status === 'closed' ? 'closed' : 'open',
      },
    });
  }
  issues.throwIfAny();

  // One query at a time: a transaction has one connection.
  const ids = parsed.map((p) => p.data.id);
  const clients = new Set((await tx.find(Client, { id: { $in: [...new Set(parsed.map((p) => p.data.clientId))] } }, { fields: ['id'] })).map((c) => c.id));
  const existing = new Map((await tx.find(Ticket, { id: { $in: ids } })).map((t) => [t.id, t]));
  const logged = sumBy(await tx.find(TimeEntry, { ticketId: { $in: ids }, quarterId }, { fields: ['ticketId', 'hours'] }), (e) => e.ticketId, (e) => e.hours);
  for (const p of parsed) {
    const { id, clientId } = p.data;
    if (!clients.has(clientId)) issues.add(p.row, 'client', `unknown client "${clientId}": add the client first`);
    const old = existing.get(id);
    if (old && old.quarterId !== quarterId) issues.add(p.row, 'id', `ticket ${id} belongs to quarter ${old.quarterId}`);
    const hours = logged.get(id) ?? 0;
    if (p.spent !== undefined && p.spent + 1e-9 < hours) issues.add(p.row, 'spentHours', `is ${p.spent} but ${round(hours)} h are already logged as time entries on ${id}; give at least that`);
  }
  issues.throwIfAny();

  const tally = new ImportTally(quarterId, rows.length, dryRun);
  const result = tally.result;
  const changed: { ticket: Ticket; emergencyNow: boolean }[] = [];
  for (const p of parsed) {
    // Time entries add to the baseline, so the file's spent hours are the total.
    const spentBaseline = round(Math.max(0, (p.spent ?? 0) - (logged.get(p.data.id) ?? 0)));
    const old = existing.get(p.data.id);
    if (!old) {
      if (!dryRun) changed.push({ ticket: tx.create(Ticket, { ...p.data, spentBaseline }), emergencyNow: p.data.emergency });
      tally.record(p.row, p.data.id, 'create');
      continue;
    }
    const wasEmergency = old.emergency;
    const data: Record<string, unknown> = { ...p.data, spentBaseline };
    const columnOf: Record<string, string> = { clientId: 'client', spentBaseline: 'spentHours' };
    for (const key of Object.keys(data)) if (key !== 'id' && key !== 'quarterId' && !header.has(columnOf[key] ?? key)) delete data[key];
    if (assignChanged(old, data as Partial<Ticket>, dryRun)) {
      changed.push({ ticket: old, emergencyNow: old.emergency && !wasEmergency });
      tally.record(p.row, p.data.id, 'update');
    } else tally.record(p.row, p.data.id, 'unchanged');
  }
  // A dry run stops here: nothing was created or assigned.
  if (dryRun) return result;
  await tx.flush();
  if (changed.length > 0) {
    w.touch(quarterId);
    w.audit('import', 'tickets', quarterId, null, { created: result.created, updated: result.updated });
    w.afterCommit(() => {
      const at = new Date().toISOString();
      for (const { ticket: t, emergencyNow } of changed) {
        events.emit('ticket.changed', { quarterId, ticketId: t.id, clientId: t.clientId, action: 'imported' });
        if (emergencyNow) events.emit('emergency.declared', { quarterId, ticketId: t.id, clientId: t.clientId, at });
      }
    });
  }
  return result;
}
