/**
 * Clients' statements (shared/api/statements.ts), built from a quarter's plan in force by
 * inclusion: each statement takes the client's own figures from the plan (ClientPlan), its own
 * allocations (weeks and hours: never who), its own time entries and tickets, its own blocks and
 * prices. Nothing of another client is read into it. Every money figure is quarterMoney's.
 *
 * Hours per week: a history week's hours used are the plan's delivered hours (the imported hours
 * used plus the time entries of that week), split by ticket from the time entries; what no entry
 * records (imported hours) is a line without a ticket. In the current week the hours logged so far
 * are used and the plan's allocations are planned; later weeks are planned.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Statement, StatementTicketHours, StatementWeek } from '../../../shared/api/statements.ts';
import { amountMinor } from '../../../shared/money.ts';
import type { ClientPlan, Plan } from '../../../solver/index.ts';
import { Block, Client, Ticket, TimeEntry, type Quarter } from '../../db/entities.ts';
import { chunks } from '../resource-helpers.ts';
import { companySettings } from '../settings/settings.routes.ts';
import { addDays } from '../time-entries/entry-week.ts';
import { quarterMoney, type ClientPrices } from '../money/quarter-money.ts';

const q4 = (h: number) => Math.round(h * 4) / 4;
const tidy = (h: number) => Math.round(h * 1e6) / 1e6;

/** A client the plan does not name (added since, or with nothing this quarter): no hours at all. */
function emptyClientPlan(c: Client, weeks: number): ClientPlan {
  const zeros = Array.from({ length: weeks }, () => 0);
  return {
    id: c.id,
    name: c.name,
    plan: c.plan,
    rate: zeros,
    demand: zeros,
    delivered: zeros,
    balanceHours: 0,
    forecastUnusedHours: 0,
    shortfallHours: 0,
    rolloverHours: 0,
    atRiskHours: 0,
    overageHours: 0,
    boughtHours: 0,
    rolloverInHours: 0,
    usedHours: 0,
    plannedHours: 0,
    owedAtRateHours: 0,
    ideal: zeros,
    target: zeros,
    advice: { cause: 'none', tickets: [] },
    shortfallWeeks: [],
    presentByWeek: null,
  } as ClientPlan;
}

export interface StatementSource {
  quarter: Quarter;
  planVersion: number;
  plan: Plan;
  /** When the quarter closed (or is being closed now); null while it is open. */
  closedAt: Date | null;
  now?: Date;
}

/**
 * The statements of the clients named (all the plan's clients still on record when `clientIds`
 * is left out), in id order. A client not on record gets none.
 */
export async function buildStatements(em: EntityManager, src: StatementSource, clientIds?: readonly string[]): Promise<Statement[]> {
  const { quarter, plan } = src;
  const W = plan.quarter.weeks;
  const current = plan.quarter.currentWeek;
  const ids = [...new Set(clientIds ?? plan.clients.map((c) => c.id))].sort();
  const settings = await companySettings(em);
  const clients: Client[] = [];
  const blocks: Block[] = [];
  const entries: Pick<TimeEntry, 'clientId' | 'ticketId' | 'week' | 'hours'>[] = [];
  // One query at a time: a transaction has a single connection.
  for (const part of chunks(ids)) {
    clients.push(...(await em.find(Client, { id: { $in: part } }, { orderBy: { id: 'asc' } })));
    blocks.push(...(await em.find(Block, { quarterId: quarter.id, clientId: { $in: part } }, { orderBy: { week: 'asc', id: 'asc' } })));
    entries.push(...(await em.find(TimeEntry, { quarterId: quarter.id, clientId: { $in: part }, week: { $lte: current } }, { fields: ['clientId', 'ticketId', 'week', 'hours'] })));
  }
  const own = new Set(ids);
  const allocations = plan.allocations.filter((a) => own.has(a.client));
  const ticketIds = [...new Set([...entries.map((e) => e.ticketId), ...allocations.map((a) => a.ticket)])];
  // By client and week, so a quarter of 500 clients is one pass over its rows.
  const byWeek = <T extends { clientId?: string; client?: string; week: number }>(rows: readonly T[]) => {
    const out = new Map<string, T[]>();
    for (const r of rows) {
      const key = `${r.clientId ?? r.client}|${r.week}`;
      const list = out.get(key);
      if (list) list.push(r);
      else out.set(key, [r]);
    }
    return out;
  };
  const entriesAt = byWeek(entries);
  const blocksOf = new Map<string, Block[]>();
  for (const b of blocks) blocksOf.set(b.clientId, [...(blocksOf.get(b.clientId) ?? []), b]);
  const allocationsAt = byWeek(allocations);
  const titles = new Map<string, string>();
  for (const part of chunks(ticketIds)) {
    for (const t of await em.find(Ticket, { id: { $in: part } }, { fields: ['id', 'title'] })) titles.set(t.id, t.title);
  }

  const planned = new Map(plan.clients.map((c) => [c.id, c]));
  const figures = clients.map((c) => planned.get(c.id) ?? emptyClientPlan(c, W));
  const prices = new Map<string, ClientPrices>(clients.map((c) => [c.id, { blockPriceMinor: c.blockPriceMinor ?? null, paygRateMinor: c.paygRateMinor ?? null }]));
  const money = quarterMoney({ quarter: plan.quarter, clients: figures }, prices, settings.currency);
  const generatedAt = (src.now ?? new Date()).toISOString();
  const endDate = quarter.startDate ? addDays(quarter.startDate, W * 7 - 1) : null;

  return clients.map((c, i) => {
    const cp = figures[i]!;
    const m = money.clients[i]!;
    const price = prices.get(c.id)!;
    const weeks = Array.from({ length: W }, (_, w): StatementWeek => {
      const lines = new Map<string | null, StatementTicketHours>();
      const line = (ticket: string | null) => {
        let l = lines.get(ticket);
        if (!l) lines.set(ticket, (l = { ticket, title: ticket === null ? 'Hours used recorded without a ticket' : (titles.get(ticket) ?? ticket), usedHours: 0, plannedHours: 0 }));
        return l;
      };
      const delivered = q4(cp.delivered[w] ?? 0);
      let logged = 0;
      if (w <= current) {
        for (const e of entriesAt.get(`${c.id}|${w}`) ?? []) {
          line(e.ticketId).usedHours += e.hours;
          logged += e.hours;
        }
      }
      let allocated = 0;
      if (w >= current) {
        for (const a of allocationsAt.get(`${c.id}|${w}`) ?? []) {
          line(a.ticket).plannedHours += a.hours;
          allocated += a.hours;
        }
      }
      // History: everything delivered was used (imported hours have no ticket). This week: the
      // plan counts logged hours as delivered besides its allocations.
      const used = w < current ? delivered : w === current ? q4(Math.max(0, delivered - allocated)) : 0;
      const unrecorded = q4(used - logged);
      if (unrecorded > 0) line(null).usedHours += unrecorded;
      return {
        // The week's money as quarterMoney has it (week, history, hours and amounts by kind).
        ...m.weeks[w]!,
        startDate: quarter.startDate ? addDays(quarter.startDate, w * 7) : null,
        usedHours: used,
        plannedHours: q4(Math.max(0, delivered - used)),
        tickets: [...lines.values()]
          .map((l) => ({ ...l, usedHours: tidy(l.usedHours), plannedHours: tidy(l.plannedHours) }))
          .filter((l) => l.usedHours > 0 || l.plannedHours > 0)
          .sort((a, b) => (a.ticket === null ? 1 : b.ticket === null ? -1 : a.ticket.localeCompare(b.ticket, 'en', { numeric: true }))),
      };
    });
    // Each block's amount is the difference of rounded running totals, so the blocks add up to
    // what quarterMoney says was sold.
    let cum = 0;
    let before = 0;
    const blockLines = (blocksOf.get(c.id) ?? []).map((b) => {
      cum += b.hours;
      const now = amountMinor(q4(cum), price.blockPriceMinor);
      const line = { week: b.week, hours: b.hours, priceMinor: price.blockPriceMinor, amountMinor: now - before };
      before = now;
      return line;
    });
    const usedHours = tidy(weeks.reduce((s, w) => s + w.usedHours, 0));
    const plannedHours = tidy(weeks.reduce((s, w) => s + w.plannedHours, 0));
    return {
      company: { name: settings.name, currency: settings.currency },
      client: { id: c.id, name: c.name, plan: c.plan, contact: c.contact ?? null },
      quarter: { id: quarter.id, weeks: W, currentWeek: current, startDate: quarter.startDate ?? null, endDate, closed: src.closedAt !== null, closedAt: src.closedAt?.toISOString() ?? null },
      planVersion: src.planVersion,
      generatedAt,
      prices: { blockPriceMinor: price.blockPriceMinor, paygRateMinor: price.paygRateMinor, unpriced: m.unpriced },
      blocks: blockLines,
      weeks,
      totals: {
        boughtHours: tidy(cp.boughtHours),
        rolloverInHours: tidy(cp.rolloverInHours),
        usedHours,
        plannedHours,
        balanceHours: tidy(cp.balanceHours),
        forecastUnusedHours: tidy(cp.forecastUnusedHours),
        rolloverHours: tidy(cp.rolloverHours),
        atRiskHours: tidy(cp.atRiskHours),
        presentByWeek: cp.atRiskHours > 0 ? cp.presentByWeek : null,
        overageHours: m.overageHours,
        paygHours: m.paygHours,
        prepaidHours: m.prepaidHours,
        soldMinor: m.soldMinor,
        prepaidMinor: m.prepaidMinor,
        overageMinor: m.overageMinor,
        paygMinor: m.paygMinor,
        billedMinor: m.soldMinor + m.overageMinor + m.paygMinor,
        rolloverCreditMinor: m.rolloverLiabilityMinor,
        atRiskMinor: m.atRiskMinor,
      },
    } satisfies Statement;
  });
}
