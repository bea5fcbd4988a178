/**
 * The Quarter page's wording (pure): where a quarter stands, what closing it would do (or did),
 * from GET /api/quarters/:id/close-preview, the confirm's lines, the close's result and its errors
 * worded with what to do next. Figures are the server's hours (quarter hours), shown as every page
 * shows hours (format.ts).
 */
import type { ApiError } from '../api/http.ts';
import type { QuarterClosePreview, QuarterCloseResult, QuarterRecord } from '../../../shared/api/index.ts';
import { tidy } from './chart-spec.ts';
import { hoursText, nth, plural, quarterPosition, weekEndIso, weekStart } from './format.ts';

/** One client's line of the close: what rolls over as credit, what expires, what is billed. */
export interface CloseRow {
  client: string;
  name: string;
  /** Null: the client is not prepaid (nothing rolls over or expires). */
  rollover: number | null;
  expiring: number | null;
  overage: number;
}

export interface CloseTotals {
  rollover: number;
  expiring: number;
  overage: number;
}

/**
 * 'ready': the close can go ahead; 'stale': the plan does not include the latest changes yet;
 * 'no-plan': the quarter has no plan at all yet; 'closed': the quarter is closed, the figures are
 * what its close did.
 */
export type CloseState = 'ready' | 'stale' | 'no-plan' | 'closed';

export interface CloseView {
  quarter: string;
  state: CloseState;
  rows: CloseRow[];
  totals: CloseTotals;
  /** The open tickets that move on (null for a closed quarter: the server does not say). */
  carried: number | null;
  /** The quarter a closed one closed into. */
  closedInto: string | null;
  planVersion: number | null;
  /** Why the close is not possible now, with what to do (null when it is). */
  blocked: string | null;
  /** One sentence per figure, for the page's summary under the tiles. */
  sentences: string[];
}

const sum = (xs: number[]) => tidy(xs.reduce((a, b) => a + b, 0));

/** "Lumen Studio 12 h, Atlas Freight 5.25 h" (largest first), or "" when nobody has any. */
export function byClient(rows: CloseRow[], pick: (r: CloseRow) => number | null): string {
  return rows
    .filter((r) => (pick(r) ?? 0) > 0)
    .sort((a, b) => (pick(b) ?? 0) - (pick(a) ?? 0) || a.name.localeCompare(b.name))
    .map((r) => `${r.name} ${hoursText(pick(r))}`)
    .join(', ');
}

/** The preview as the page shows it: a row per client (prepaid figures and overage together), totals, sentences. */
export function closeView(p: QuarterClosePreview): CloseView {
  const rows = new Map<string, CloseRow>();
  for (const c of p.clients) rows.set(c.client, { client: c.client, name: c.name, rollover: c.rolloverHours, expiring: c.expiredHours, overage: 0 });
  for (const o of p.overage) {
    const r = rows.get(o.client);
    if (r) r.overage = o.hours;
    else rows.set(o.client, { client: o.client, name: o.name, rollover: null, expiring: null, overage: o.hours });
  }
  const list = [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
  const totals: CloseTotals = {
    rollover: sum(list.map((r) => r.rollover ?? 0)),
    expiring: sum(list.map((r) => r.expiring ?? 0)),
    overage: sum(list.map((r) => r.overage)),
  };
  const state: CloseState = p.quarter.closed ? 'closed' : p.planVersion === null ? 'no-plan' : p.upToDate ? 'ready' : 'stale';
  const carried = p.carriedTickets?.length ?? null;
  return {
    quarter: p.quarter.id,
    state,
    rows: list,
    totals,
    carried,
    closedInto: p.nextQuarter,
    planVersion: p.planVersion,
    blocked: blockedReason(state, p.quarter.id),
    sentences: sentences(state, list, totals, carried, p.nextQuarter),
  };
}

function blockedReason(state: CloseState, quarter: string): string | null {
  if (state === 'stale') return 'Plan not current yet — wait for the re-plan. The plan does not include the latest changes, so the figures could still move; the close opens here by itself once it does.';
  if (state === 'no-plan') return `Quarter ${quarter} has no plan yet: wait for it to be planned (this page updates by itself), or add its staff, clients and tickets first.`;
  if (state === 'closed') return `Quarter ${quarter} is closed already: it stays readable here, and nothing in it can change.`;
  return null;
}

function sentences(state: CloseState, rows: CloseRow[], t: CloseTotals, carried: number | null, into: string | null): string[] {
  const did = state === 'closed';
  const next = into ?? 'the next quarter';
  const out: string[] = [];
  const roll = byClient(rows, (r) => r.rollover);
  out.push(roll ? `${hoursText(t.rollover)} ${did ? 'rolled' : 'roll'} over into ${next} as credit: ${roll}.` : `No hours ${did ? 'rolled' : 'roll'} over: the company ${did ? 'owed' : 'owes'} no prepaid client work it did not do.`);
  const exp = byClient(rows, (r) => r.expiring);
  out.push(exp ? `${hoursText(t.expiring)} ${did ? 'expired' : 'expire'} unused: ${exp}.` : `No prepaid hours ${did ? 'expired' : 'expire'}.`);
  const over = byClient(rows, (r) => r.overage);
  out.push(over ? `${hoursText(t.overage)} of overage to bill: ${over}.` : 'No overage to bill.');
  if (carried !== null) out.push(carried ? `${plural(carried, 'open ticket')} move on to ${next}.` : `No open tickets move on.`);
  return out;
}

/** "2026-Q4" → "2027-Q1", "2026-Q2" → "2026-Q3"; "" when the id is not of that shape. */
export function nextQuarterId(id: string): string {
  const m = /^(\d{4})-Q([1-4])$/i.exec(id.trim());
  if (!m) return '';
  const year = Number(m[1]);
  const q = Number(m[2]);
  return q === 4 ? `${year + 1}-Q1` : `${year}-Q${q + 1}`;
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A quarter's state as the page heads it. */
export interface QuarterState {
  id: string;
  closed: boolean;
  status: 'Open' | 'Closed';
  /** "28 Sep 2026 – 27 Dec 2026 (13 weeks)", or "13 weeks" without a start date. */
  dates: string;
  /** Open: "week of 30 Nov, the 10th of 13"; closed: "closed on 2 Dec 2026, in its 10th week of 13". */
  position: string;
}

export function quarterState(q: Pick<QuarterRecord, 'id' | 'weeks' | 'currentWeek' | 'startDate' | 'closed' | 'closedAt'>): QuarterState {
  const from = weekStart(q.startDate, 0);
  const to = weekEndIso(q.startDate, q.weeks - 1);
  const weeks = plural(q.weeks, 'week');
  const dates = from && to ? `${longDate.format(from)} – ${longDate.format(new Date(`${to}T00:00:00Z`))} (${weeks})` : weeks;
  const closedOn = q.closedAt ? longDate.format(new Date(q.closedAt)) : null;
  const position = q.closed ? `closed${closedOn ? ` on ${closedOn}` : ''}, in its ${nth(q.currentWeek + 1)} week of ${q.weeks}` : quarterPosition(q);
  return { id: q.id, closed: q.closed, status: q.closed ? 'Closed' : 'Open', dates, position };
}

/** What the confirm says will happen, closing `view`'s quarter into `next`. */
export function confirmLines(view: CloseView, next: string): string[] {
  const into = next || 'the next quarter';
  const roll = byClient(view.rows, (r) => r.rollover);
  const exp = byClient(view.rows, (r) => r.expiring);
  const over = byClient(view.rows, (r) => r.overage);
  return [
    roll ? `${hoursText(view.totals.rollover)} roll over into ${into} as credit: ${roll}.` : `No hours roll over into ${into}.`,
    exp ? `${hoursText(view.totals.expiring)} expire for good: ${exp}.` : 'No prepaid hours expire.',
    over ? `${hoursText(view.totals.overage)} of overage is to bill: ${over}.` : 'No overage to bill.',
    view.carried ? `${plural(view.carried, 'open ticket')} move on to ${into}, with the hours logged on them so far.` : 'No open tickets move on.',
    `${view.quarter} becomes read-only, and the dashboards move to ${into} once it is planned. This cannot be undone.`,
  ];
}

/** What the close did, for the notice after it. */
export function closeResultLines(r: QuarterCloseResult, names: ReadonlyMap<string, string>): string[] {
  const rows: CloseRow[] = r.clients.map((c) => ({ client: c.client, name: names.get(c.client) ?? c.client, rollover: c.rolloverHours, expiring: c.expiredHours, overage: 0 }));
  const rolled = sum(rows.map((x) => x.rollover ?? 0));
  const expired = sum(rows.map((x) => x.expiring ?? 0));
  const roll = byClient(rows, (x) => x.rollover);
  return [
    `Quarter ${r.quarter.id} is closed, on plan v${r.planVersion}. ${r.nextQuarter.id} is open.`,
    roll ? `${hoursText(rolled)} rolled over into ${r.nextQuarter.id} as credit: ${roll}.` : `No hours rolled over into ${r.nextQuarter.id}.`,
    expired ? `${hoursText(expired)} expired.` : 'No prepaid hours expired.',
    r.carriedTickets.length ? `${plural(r.carriedTickets.length, 'open ticket')} moved on to ${r.nextQuarter.id}.` : 'No open tickets moved on.',
  ];
}

/** A close that failed, worded with what to do next. */
export function closeErrorText(err: ApiError, quarter: string): string {
  if (err.status === 409 && /latest changes/i.test(err.message)) {
    return `Nothing was closed: the plan of ${quarter} does not include the latest changes yet. Wait for the re-plan (the figures here update by themselves), check them, then close again.`;
  }
  if (err.status === 409 && /already closed/i.test(err.message)) {
    return `Nothing more to do: ${quarter} was already closed (by another manager, or in another tab). Its figures below are what that close did.`;
  }
  if (err.status === 409 || err.code === 'quarter_closed') return `Nothing was closed: ${err.message} Read the figures again, then try once more.`;
  if (err.status === 400 && err.details.length) return `Nothing was closed: ${err.details.map((d) => `${d.field === 'nextQuarter.id' ? 'next quarter' : d.field} ${d.message}`).join('; ')}. Correct it and close again.`;
  if (err.status === 403) return 'Only a manager can close a quarter. Sign in as a manager to close it.';
  if (err.status === 0) return `The close did not reach the server or its answer was lost (${err.message}). Reload this page to see whether ${quarter} closed before trying again.`;
  return `Nothing was closed: ${err.message} Try again in a moment; if it keeps failing, the server's log says why.`;
}

