/**
 * The History page in words (issue 11): an audited change as a sentence ("T-104 estimate 6 → 9 h
 * by manager@…"), a plan version's why, what moved between two versions (clients' figures,
 * tickets' weeks, people's weeks) and the "since Monday" pair. Pure: the page and its tests read
 * the same lines.
 */
import type { AuditEntry, PlanDiff, PlanHistoryEntry, PlanVersions, TicketDiff } from '../../../shared/api/index.ts';
import { diffLines, FIGURES } from './diff-summary.ts';
import { fmtHours, signed, weekRanges } from './format.ts';

type Rec = Record<string, unknown>;
const isRec = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Fields that change with every write and say nothing of what changed. */
const QUIET = new Set(['version', 'updatedAt', 'createdAt', 'id', 'quarter', 'usedByWeek', 'blocks']);

/** What a field is called in a sentence, where its camelCase name would not read. */
const LABEL: Record<string, string> = {
  estimateHours: 'estimate',
  spentHours: 'spent',
  weeklyHours: 'weekly hours',
  dueWeek: 'due week',
  openedWeek: 'opened in week',
  rolloverInHours: 'rollover in',
  shortfallToDateHours: 'shortfall to date',
  currentWeek: 'week',
  autoAdvance: 'weeks advance by the clock',
  client: 'client',
};

function label(field: string): string {
  return LABEL[field] ?? field.replace(/Hours$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A value as a sentence shows it: hours without the unit (the sentence adds " h"), text in quotes. */
function value(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return 'none';
  if (typeof v === 'number') return field.endsWith('Hours') || field === 'hours' ? fmtHours(v) : String(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' || typeof x === 'number' ? String(x) : '…')).join(', ') : 'none';
  if (typeof v === 'string') return field === 'title' || field === 'name' || field === 'description' || field === 'contact' ? `“${v.length > 40 ? `${v.slice(0, 39)}…` : v}”` : v;
  return '…';
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields an update changed, each "estimate 6 → 9 h"; booleans and status as what they mean. */
export function fieldChanges(before: unknown, after: unknown): string[] {
  if (!isRec(before) || !isRec(after)) return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !QUIET.has(k) && !same(before[k], after[k]));
  return keys.map((k) => {
    const a = after[k];
    if (k === 'status') return a === 'closed' ? 'closed' : a === 'open' ? 'reopened' : `status ${value(k, before[k])} → ${value(k, a)}`;
    if (k === 'active' && typeof a === 'boolean') return a ? 'reactivated' : 'deactivated';
    if (k === 'emergency' && typeof a === 'boolean') return a ? 'declared an emergency' : 'no longer an emergency';
    if (k === 'passwordChanged') return a ? 'password changed' : '';
    if (k === 'description') return 'description edited';
    if (k === 'leave') return 'leave changed';
    const unit = k.endsWith('Hours') ? ' h' : '';
    return `${label(k)} ${value(k, before[k])} → ${value(k, a)}${unit}`;
  }).filter(Boolean);
}

const num = (x: unknown) => (typeof x === 'number' ? x : null);
const str = (x: unknown) => (typeof x === 'string' ? x : null);

/** The record a change is about, as a sentence opens: "T-104", "Staff sam", "Quarter 2026-Q4". */
export function recordName(e: Pick<AuditEntry, 'entity' | 'entityId'>): string {
  switch (e.entity) {
    case 'ticket':
      return e.entityId;
    case 'time-entry':
      return `Time entry ${e.entityId}`;
    case 'tickets':
      return `Tickets of ${e.entityId}`;
    case 'time-entries':
      return `Time entries of ${e.entityId}`;
    default:
      return `${e.entity.charAt(0).toUpperCase()}${e.entity.slice(1)} ${e.entityId}`;
  }
}

/** What one audited change did, without who: "T-104 estimate 6 → 9 h". */
export function changeText(e: Pick<AuditEntry, 'action' | 'entity' | 'entityId' | 'before' | 'after'>): string {
  const name = recordName(e);
  const b = isRec(e.before) ? e.before : {};
  const a = isRec(e.after) ? e.after : {};
  switch (e.action) {
    case 'update': {
      const moved = fieldChanges(e.before, e.after);
      return moved.length ? `${name} ${moved.join(', ')}` : `${name} saved unchanged`;
    }
    case 'create':
      if (e.entity === 'pin') return `Pin of ${fmtHours(num(a.hours))} h on ${str(a.ticket) ?? '?'} for ${str(a.staff) ?? '?'} in week ${num(a.week) ?? '?'} added`;
      if (e.entity === 'time-entry') return `${fmtHours(num(a.hours))} h logged on ${str(a.ticket) ?? '?'}${a.staff ? ` for ${str(a.staff)}` : ''} in week ${num(a.week) ?? '?'}`;
      if (e.entity === 'ticket') return `${name} created${a.estimateHours !== undefined ? ` (${fmtHours(num(a.estimateHours))} h${a.client ? ` for ${str(a.client)}` : ''})` : ''}`;
      return `${name} created`;
    case 'delete':
      if (e.entity === 'pin') return `Pin of ${fmtHours(num(b.hours))} h on ${str(b.ticket) ?? '?'} for ${str(b.staff) ?? '?'} in week ${num(b.week) ?? '?'} removed`;
      if (e.entity === 'time-entry') return `${fmtHours(num(b.hours))} h on ${str(b.ticket) ?? '?'} in week ${num(b.week) ?? '?'} removed`;
      return `${name} removed`;
    case 'set-leave':
      return `${name} leave in week ${num(a.week) ?? '?'} ${fmtHours(num(b.hours) ?? 0)} → ${fmtHours(num(a.hours) ?? 0)} h`;
    case 'create-block':
      return `${name} bought a block of ${fmtHours(num(a.hours))} h from week ${num(a.week) ?? '?'}`;
    case 'update-block':
      return `${name} block corrected: ${fieldChanges(e.before, e.after).join(', ') || 'unchanged'}`;
    case 'delete-block':
      return `${name} block of ${fmtHours(num(b.hours))} h from week ${num(b.week) ?? '?'} removed`;
    case 'import':
      if (e.entity === 'quarter') return `Quarter ${e.entityId} imported (${num(a.staff) ?? 0} staff, ${num(a.clients) ?? 0} clients, ${num(a.tickets) ?? 0} tickets)`;
      return `${name} imported from CSV: ${num(a.created) ?? 0} new, ${num(a.updated) ?? 0} updated`;
    case 'advance-week':
      return `${name} moved on to week ${num(a.currentWeek) ?? '?'}`;
    case 'close':
      return `${name} closed into ${str(a.nextQuarter) ?? 'the next quarter'}`;
    case 'carry-shortfall':
    case 'uncarry-shortfall':
      return `${name} shortfall to date ${fmtHours(num(b.shortfallToDateHours) ?? 0)} → ${fmtHours(num(a.shortfallToDateHours) ?? 0)} h`;
    case 'disable':
      return `${name} disabled`;
    case 'enable':
      return `${name} enabled`;
    case 'invite':
      return `${name} invited`;
    case 'password-link':
      return `${name} sent a password link`;
    case 'set-password':
      return `${name} set a password`;
    default:
      return `${name} ${e.action.replace(/-/g, ' ')}`;
  }
}

/** Who made a change: the email, "user 7" when it is gone, "the system" for the clock and start-up. */
export function authorOf(e: Pick<AuditEntry, 'user'>): string {
  if (!e.user) return 'the system';
  return e.user.email ?? `user ${e.user.id}`;
}

/** One change in a sentence: "T-104 estimate 6 → 9 h by manager@example.com". */
export function changeSentence(e: AuditEntry): string {
  return `${changeText(e)} by ${authorOf(e)}`;
}

/** A version's why: its trigger and the changes it is the first to include, with how many are not listed. */
export interface VersionWhy {
  version: number;
  at: string;
  /** "ticket changed" as the re-plan was told, or "" when it was not. */
  trigger: string;
  lines: string[];
  /** Changes counted but not listed (the server lists HISTORY_CHANGES). */
  more: number;
  /** Everyone whose change it includes, emails first in order of appearance. */
  authors: string[];
}

export function versionWhy(v: PlanHistoryEntry): VersionWhy {
  const lines = v.changes.map(changeSentence);
  const authors = [...new Set(v.changes.map(authorOf))];
  return { version: v.version, at: v.createdAt, trigger: v.trigger, lines, more: Math.max(0, v.changeCount - v.changes.length), authors };
}

/** The line that stands for a version with nothing listed: what the server gave as the reason. */
export function noChangesLine(v: Pick<VersionWhy, 'trigger'>): string {
  return v.trigger ? `Re-planned (${v.trigger}) with no recorded change to the data` : 'Re-planned with no recorded change to the data';
}

const timeFmt = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
/** "Wed 2 Dec, 13:05" in local time. */
export function whenText(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : timeFmt.format(new Date(t));
}

/** 00:00 local time on the Monday of `now`'s week. */
export function mondayOf(now: Date): Date {
  const back = (now.getDay() + 6) % 7;
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - back);
}

/** A local day as YYYY-MM-DD. */
export function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * "Since Monday": the plan in force at Monday 00:00 (the latest version made before it, or the
 * oldest when none was) and the current one. Null without a current version.
 */
export function sinceMondayPair(versions: PlanVersions['versions'], current: number | null, monday: Date): { from: number; to: number } | null {
  if (current === null || !versions.length) return null;
  const before = versions.filter((v) => Date.parse(v.createdAt) < monday.getTime()).sort((a, b) => b.version - a.version)[0];
  const oldest = [...versions].sort((a, b) => a.version - b.version)[0]!;
  return { from: (before ?? oldest).version, to: current };
}

/** The audit filters as the page keeps them (and the URL): dates are local days. */
export interface AuditFilters {
  entity: string;
  id: string;
  user: string;
  from: string;
  to: string;
}
export const NO_FILTERS: AuditFilters = { entity: '', id: '', user: '', from: '', to: '' };

/** The kinds of record the audit trail holds, as the filter offers them. */
export const RECORD_KINDS: [entity: string, label: string][] = [
  ['ticket', 'Ticket'],
  ['client', 'Client'],
  ['staff', 'Staff member'],
  ['pin', 'Pin'],
  ['time-entry', 'Time entry'],
  ['quarter', 'Quarter'],
  ['tickets', 'Tickets import'],
  ['time-entries', 'Time entries import'],
  ['user', 'User'],
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A local day's start as an exact time (the server reads a bare day as UTC). */
function dayStart(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

/** GET /api/audit's query for the filters: local days as exact times, `to` through the end of its day. */
export function auditQuery(f: AuditFilters): { entity?: string; id?: string; user?: number; from?: string; to?: string } {
  const q: { entity?: string; id?: string; user?: number; from?: string; to?: string } = {};
  if (f.entity) q.entity = f.entity;
  if (f.id.trim()) q.id = f.id.trim();
  if (/^\d+$/.test(f.user)) q.user = Number(f.user);
  if (DAY.test(f.from)) q.from = dayStart(f.from).toISOString();
  if (DAY.test(f.to)) {
    const next = dayStart(f.to);
    next.setDate(next.getDate() + 1);
    q.to = new Date(next.getTime() - 1).toISOString();
  }
  return q;
}

/** The filters read from a route query (unknown keys ignored), and back. */
export function filtersFromQuery(q: Record<string, unknown>): AuditFilters {
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
  return { entity: s('entity'), id: s('record'), user: s('person'), from: DAY.test(s('since')) ? s('since') : '', to: DAY.test(s('until')) ? s('until') : '' };
}
export function filtersToQuery(f: AuditFilters): Record<string, string | undefined> {
  return { entity: f.entity || undefined, record: f.id.trim() || undefined, person: f.user || undefined, since: f.from || undefined, until: f.to || undefined };
}

/** The filters in a line: "ticket T-104 · by manager@… · from 30 Nov", or "" without any. */
export function filtersText(f: AuditFilters, userName: (id: string) => string): string {
  const parts: string[] = [];
  const kind = RECORD_KINDS.find(([e]) => e === f.entity)?.[1].toLowerCase() ?? f.entity;
  if (f.entity || f.id.trim()) parts.push([kind, f.id.trim()].filter(Boolean).join(' '));
  if (f.user) parts.push(`by ${userName(f.user)}`);
  if (f.from && f.to) parts.push(f.from === f.to ? `on ${f.from}` : `${f.from} to ${f.to}`);
  else if (f.from) parts.push(`since ${f.from}`);
  else if (f.to) parts.push(`until ${f.to}`);
  return parts.join(' · ');
}

// What moved between two versions.

/** "weeks 3–5", "week 4", "not planned". */
export function weeksText(w: { startWeek: number | null; finishWeek: number | null }): string {
  if (w.startWeek === null) return 'not planned';
  const end = w.finishWeek ?? w.startWeek;
  return end === w.startWeek ? `week ${w.startWeek}` : `weeks ${weekRanges([w.startWeek, end])}`;
}

/** A ticket's move: "T-104 (Acme): weeks 3–4 → 5–6, planned 6 → 9 h". */
export function ticketLine(t: TicketDiff, clientName: (id: string) => string): string {
  const parts: string[] = [];
  const wb = weeksText(t.before);
  const wa = weeksText(t.after);
  if (wb !== wa) parts.push(`${wb} → ${wa}`);
  if (Math.abs(t.after.plannedHours - t.before.plannedHours) >= 0.005) parts.push(`planned ${fmtHours(t.before.plannedHours)} → ${fmtHours(t.after.plannedHours)} h`);
  return `${t.id} (${clientName(t.client)}): ${parts.join(', ') || 'moved within its weeks'}`;
}

export interface ClientFigureRow {
  id: string;
  name: string;
  /** Each figure's change, new minus old, signed ("+3", "−2"), or "" when it did not move. */
  figures: string[];
  emergency: string;
}

/** What the page says of a diff: a headline, the clients' lines (diff-summary's), rows in numbers. */
export interface DiffView {
  from: number | null;
  to: number;
  headline: string;
  clientLines: string[];
  clients: ClientFigureRow[];
  tickets: { id: string; line: string; before: string; after: string; planned: string }[];
  people: { id: string; name: string }[];
}

export const FIGURE_LABELS = FIGURES.map(([, l]) => l);

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function diffView(d: PlanDiff & { from: number | null; to: number }, names: { clients: Map<string, string>; staff: Map<string, string> }): DiffView {
  const client = (id: string) => names.clients.get(id) ?? id;
  const moved = d.clients.filter((c) => FIGURES.some(([k]) => Math.abs(c.delta[k] ?? 0) >= 0.005) || Math.abs(c.emergencyDelta) >= 0.005);
  const parts = [count(moved.length, "client's figures moved", "clients' figures moved"), count(d.tickets.length, 'ticket moved', 'tickets moved'), count(d.staff.length, "person's weeks changed", "people's weeks changed")];
  const span = d.from === null ? `Up to v${d.to}` : `v${d.from} → v${d.to}`;
  const nothing = !moved.length && !d.tickets.length && !d.staff.length;
  return {
    from: d.from,
    to: d.to,
    headline: nothing ? `${span}: nothing moved in the plan.` : `${span}: ${parts.join(', ')}.`,
    clientLines: nothing ? [] : diffLines({ ...d, tickets: [] }, names.clients).filter((l) => l !== 'Nothing moves for any client.'),
    clients: moved.map((c) => ({
      id: c.id,
      name: client(c.id),
      figures: FIGURES.map(([k]) => (Math.abs(c.delta[k] ?? 0) >= 0.005 ? signed(c.delta[k]!) : '')),
      emergency: Math.abs(c.emergencyDelta) >= 0.005 ? signed(c.emergencyDelta) : '',
    })),
    tickets: d.tickets.map((t) => ({
      id: t.id,
      line: ticketLine(t, client),
      before: weeksText(t.before),
      after: weeksText(t.after),
      planned: Math.abs(t.after.plannedHours - t.before.plannedHours) >= 0.005 ? `${fmtHours(t.before.plannedHours)} → ${fmtHours(t.after.plannedHours)}` : fmtHours(t.after.plannedHours),
    })),
    people: d.staff.map((id) => ({ id, name: names.staff.get(id) ?? id })),
  };
}
