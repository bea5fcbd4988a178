/**
 * Time entries as CSV. Import upserts by id, all-or-nothing, with the rules of POST
 * /api/time-entries (hours in quarter hours up to 24, dates inside the quarter and not after the
 * current week). A row without an id stands for "this entry exists": it matches an identical
 * entry not claimed by another row, else it is added, so re-importing a tracker's file adds
 * nothing twice. A row with an id that is new keeps that id.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Staff, Ticket, TimeEntry } from '../../db/entities.ts';
import type { EventBus } from '../../events.ts';
import type { WriteContext } from '../../store.ts';
import { entryHoursSchema } from '../../../shared/hours.ts';
import { entryWeek } from '../time-entries/entry-week.ts';
import { idCell, numberCell, textCell } from './csv-cells.ts';
import { RowIssues, parseRow, readCsv, writeCsv } from './csv-format.ts';
import { assignChanged, ImportTally, openQuarter, type ImportResult } from './csv-shared.ts';

export const ENTRY_COLUMNS = ['id', 'staffId', 'ticketId', 'date', 'week', 'hours', 'note'] as const;
const REQUIRED = ['staffId', 'ticketId', 'hours'];

const optionalInt = (message: string) =>
  z
    .string()
    .trim()
    .refine((s) => s === '' || /^\d{1,9}$/.test(s), { error: message })
    .transform((s) => (s === '' ? undefined : Number(s)));

const EntryRow = z.object({
  id: optionalInt('must be a whole number (leave it empty to add a new entry)'),
  staffId: idCell,
  ticketId: idCell,
  date: z
    .string()
    .trim()
    .refine((s) => s === '' || z.iso.date().safeParse(s).success, { error: 'must be a date like 2026-10-05' }),
  week: optionalInt('must be a week index (0, 1, …)'),
  hours: numberCell(entryHoursSchema()),
  note: textCell(2000),
});

type EntryData = Pick<TimeEntry, 'staffId' | 'ticketId' | 'clientId' | 'quarterId' | 'week' | 'date' | 'hours' | 'note'>;
const keyOf = (e: EntryData) => JSON.stringify([e.staffId, e.ticketId, e.week, e.date, e.hours, e.note]);

export async function exportEntries(em: EntityManager, quarterId: string): Promise<string> {
  const entries = await em.find(TimeEntry, { quarterId }, { orderBy: { id: 'asc' } });
  return writeCsv(ENTRY_COLUMNS, entries.map((e) => [e.id, e.staffId, e.ticketId, e.date, e.week, e.hours, e.note]));
}

export async function importEntries(w: WriteContext, events: EventBus, quarterParam: string | undefined, body: unknown, dryRun = false): Promise<ImportResult> {
  const { rows } = readCsv(body, ENTRY_COLUMNS, REQUIRED);
  const { tx } = w;
  const quarter = await openQuarter(tx, quarterParam);
  const quarterId = quarter.id;
  const issues = new RowIssues();

  type Parsed = { row: number; id: number | undefined; data: Omit<EntryData, 'clientId'> };
  const parsed: Parsed[] = [];
  const firstRow = new Map<number, number>();
  for (const r of rows) {
    const p = parseRow(EntryRow, r, issues);
    if (!p) continue;
    if (p.id !== undefined) {
      const seen = firstRow.get(p.id);
      if (seen !== undefined) issues.add(r.row, 'id', `duplicate id ${p.id} (also row ${seen})`);
      else firstRow.set(p.id, r.row);
    }
    const when = entryWeek(quarter, { date: p.date, week: p.week });
    if ('issue' in when) {
      issues.add(r.row, when.issue.field, when.issue.message);
      continue;
    }
    parsed.push({ row: r.row, id: p.id, data: { staffId: p.staffId, ticketId: p.ticketId, quarterId, week: when.week, date: when.date, hours: p.hours, note: p.note } });
  }
  issues.throwIfAny();

  const staff = new Set((await tx.find(Staff, { id: { $in: [...new Set(parsed.map((p) => p.data.staffId))] } }, { fields: ['id'] })).map((s) => s.id));
  const tickets = new Map((await tx.find(Ticket, { id: { $in: [...new Set(parsed.map((p) => p.data.ticketId))] } }, { fields: ['id', 'clientId', 'quarterId'] })).map((t) => [t.id, t]));
  const byId = new Map((await tx.find(TimeEntry, { id: { $in: [...firstRow.keys()] } })).map((e) => [e.id, e]));
  for (const p of parsed) {
    if (!staff.has(p.data.staffId)) issues.add(p.row, 'staffId', `unknown staff member "${p.data.staffId}"`);
    const t = tickets.get(p.data.ticketId);
    if (!t) issues.add(p.row, 'ticketId', `unknown ticket "${p.data.ticketId}": import the tickets first`);
    else if (t.quarterId !== quarterId) issues.add(p.row, 'ticketId', `ticket ${t.id} belongs to quarter ${t.quarterId}: import its hours there`);
    const old = p.id !== undefined ? byId.get(p.id) : undefined;
    if (old && old.quarterId !== quarterId) issues.add(p.row, 'id', `time entry ${old.id} belongs to quarter ${old.quarterId}`);
  }
  issues.throwIfAny();

  // Entries an id-less row may stand for: the quarter's entries no row names by id.
  const unclaimed = new Map<string, TimeEntry[]>();
  if (parsed.some((p) => p.id === undefined)) {
    for (const e of await tx.find(TimeEntry, { quarterId }, { orderBy: { id: 'asc' } })) {
      if (firstRow.has(e.id)) continue;
      const list = unclaimed.get(keyOf(e)) ?? [];
      list.push(e);
      unclaimed.set(keyOf(e), list);
    }
  }

  const tally = new ImportTally(quarterId, rows.length, dryRun);
  const result = tally.result;
  const changed: { entry: TimeEntry; action: 'created' | 'updated' }[] = [];
  const fresh: EntryData[] = [];
  const withIds: (EntryData & { id: number })[] = [];
  for (const p of parsed) {
    const data: EntryData = { ...p.data, clientId: tickets.get(p.data.ticketId)!.clientId };
    const old = p.id !== undefined ? byId.get(p.id) : unclaimed.get(keyOf(data))?.shift();
    if (!old) {
      if (p.id !== undefined) withIds.push({ id: p.id, ...data });
      else fresh.push(data);
      tally.record(p.row, p.id ?? null, 'create');
    } else if (assignChanged(old, data, dryRun)) {
      changed.push({ entry: old, action: 'updated' });
      tally.record(p.row, old.id, 'update');
    } else tally.record(p.row, old.id, 'unchanged');
  }
  // A dry run stops here: nothing created or assigned, and the id sequence left alone.
  if (dryRun) return result;
  // Ids the file gives go in first, and the sequence moves past them, so ids handed out to the
  // other new rows can never collide with them.
  for (const data of withIds) changed.push({ entry: tx.create(TimeEntry, data), action: 'created' });
  await tx.flush();
  if (withIds.length > 0) await tx.execute(`select setval(pg_get_serial_sequence('time_entries', 'id'), (select max(id) from time_entries))`);
  for (const data of fresh) changed.push({ entry: tx.create(TimeEntry, data), action: 'created' });
  await tx.flush();
  if (changed.length > 0) {
    w.touch(quarterId);
    w.audit('import', 'time-entries', quarterId, null, { created: result.created, updated: result.updated });
    w.afterCommit(() => {
      for (const { entry: e, action } of changed) {
        events.emit('time-entry.changed', { quarterId, entryId: e.id, ticketId: e.ticketId, clientId: e.clientId, staffId: e.staffId, action });
      }
    });
  }
  return result;
}
