/**
 * What-if changes (their schema: shared/api/what-if.ts), checked against the quarter and applied to an exported scenario in memory. Problems name the
 * change's field (`changes[2].client: unknown client "zeta"`).
 *
 * Two scenarios come out. `saved` is the quarter as it will be stored if the manager confirms
 * (the plan shown is solved from it); a new emergency gets the ticket id it will be saved under.
 * `judged`, only when a block is bought, is `saved` plus the block's rate reserved as if the
 * client had presented that much work (DOMAIN.md): one synthetic ticket per week of the block,
 * sized to the block's rate that week (a single ticket could be worked ahead in a quiet week and
 * then stop holding the rate in the busy weeks after). Reserve tickets are urgent, so the new
 * rate wins over other clients' rates; availability is judged on that plan.
 */
import { type Change } from '../../../shared/api/what-if.ts';
import type { ScenarioInput, TicketInput } from '../../../solver/index.ts';
import { validationError, type FieldIssue } from '../../errors.ts';

/** The default title of a new emergency, as saved on confirm. */
export const EMERGENCY_TITLE = 'Emergency';

export interface Applied {
  /** The quarter with the changes, as confirming would store it. */
  saved: ScenarioInput;
  /** `saved` with each block's rate reserved; null when no block is bought. */
  judged: ScenarioInput | null;
  /** Reserve ticket id → client. */
  reserve: Map<string, string>;
  /** Clients that bought a block: their own rate moved, so they are not "pushed out". */
  blockClients: Set<string>;
  /** The ids of the tickets each change creates (add-emergency, add-tickets), by change index. */
  created: string[][];
}

/** A block's hours per week, cumulatively rounded to quarter hours so they add up exactly. */
export function blockShares(blockHours: number, from: number, weeks: number): number[] {
  const n = weeks - from;
  const out: number[] = [];
  let prev = 0;
  for (let k = 1; k <= n; k++) {
    const q = Math.round(((blockHours * k) / n) * 4);
    out.push((q - prev) / 4);
    prev = q;
  }
  return out;
}

/** `T-7` → the ids `T-7`, `T-8`, … not yet taken. */
function ticketIds(first: string, taken: Set<string>): () => string {
  const m = /^T-(\d+)$/.exec(first);
  let n = m ? Number(m[1]) : 1;
  return () => {
    while (taken.has(`T-${n}`)) n++;
    taken.add(`T-${n}`);
    return `T-${n++}`;
  };
}

/**
 * Applies `changes` to `input` (not changed). `nextTicketId` is the id the next new ticket gets
 * (the server's `T-<n>` numbering), so a new emergency is planned under the id it will be saved with.
 */
export function applyChanges(input: ScenarioInput, changes: Change[], nextTicketId: string): Applied {
  const s = structuredClone(input);
  const W = s.quarter.weeks;
  const current = s.quarter.currentWeek ?? 0;
  const issues: FieldIssue[] = [];
  const ids = new Set(s.tickets.map((t) => t.id));
  const newTicketId = ticketIds(nextTicketId, ids);
  const blockClients = new Set<string>();
  const pending: { client: string; week: number; hours: number }[] = [];
  const created: string[][] = changes.map(() => []);

  changes.forEach((c, i) => {
    const at = (field: string, message: string) => issues.push({ field: `changes[${i}].${field}`, message });
    const inQuarter = (field: string, w: number) => (w > W - 1 ? (at(field, `week ${w} is outside the quarter (weeks 0 to ${W - 1})`), false) : true);
    const client = 'client' in c ? s.clients.find((x) => x.id === c.client) : undefined;
    if ('client' in c && !client) return at('client', `unknown client "${c.client}"`);
    switch (c.type) {
      case 'add-block': {
        if (client!.plan !== 'prepaid') return at('client', `${client!.name ?? c.client} is pay-as-you-go: blocks are bought by prepaid clients`);
        if (!inQuarter('week', c.week)) return;
        if (c.week < current) return at('week', `week ${c.week} is before the current week (${current}): a block is bought from now on`);
        (client!.purchases ??= []).push({ week: c.week, hours: c.hours });
        blockClients.add(client!.id);
        pending.push({ client: client!.id, week: c.week, hours: c.hours });
        return;
      }
      case 'declare-emergency': {
        const t = s.tickets.find((x) => x.id === c.ticket);
        if (!t) return at('ticket', `unknown ticket "${c.ticket}"`);
        if (t.status === 'closed') return at('ticket', `ticket ${c.ticket} is closed: reopen it first`);
        t.emergency = true;
        return;
      }
      case 'add-emergency': {
        const opened = c.week ?? current;
        if (!inQuarter('week', opened)) return;
        const t: TicketInput = { id: newTicketId(), client: c.client, title: c.title ?? EMERGENCY_TITLE, priority: 1, estimateHours: c.hours, spentHours: 0, openedWeek: opened, emergency: true };
        if (c.skill) t.skill = c.skill;
        s.tickets.push(t);
        created[i]!.push(t.id);
        return;
      }
      case 'add-leave':
      case 'set-leave': {
        const st = s.staff.find((x) => x.id === c.staff);
        if (!st) return at('staff', `unknown staff member "${c.staff}"`);
        if (!inQuarter('week', c.week)) return;
        const leave = (st.leave ??= {});
        const hours = c.type === 'add-leave' ? (leave[String(c.week)] ?? 0) + c.hours : c.hours;
        if (hours > 168) return at('hours', `would make ${hours} h of leave in week ${c.week}: at most 168`);
        if (hours > 0) leave[String(c.week)] = hours;
        else delete leave[String(c.week)];
        return;
      }
      case 'add-tickets': {
        c.tickets.forEach((t, j) => {
          const f = `tickets[${j}]`;
          if (ids.has(t.id)) return at(`${f}.id`, `ticket ${t.id} already exists`);
          if (!s.clients.some((x) => x.id === t.client)) return at(`${f}.client`, `unknown client "${t.client}"`);
          if (!inQuarter(`${f}.openedWeek`, t.openedWeek) || (t.dueWeek != null && !inQuarter(`${f}.dueWeek`, t.dueWeek))) return;
          ids.add(t.id);
          // As saved: a ticket has a title (its id when none is given).
          s.tickets.push({ ...t, title: t.title ?? t.id, skill: t.skill ?? undefined, dueWeek: t.dueWeek ?? undefined });
          created[i]!.push(t.id);
        });
        return;
      }
    }
  });
  if (issues.length > 0) throw validationError(issues);
  if (pending.length === 0) return { saved: s, judged: null, reserve: new Map(), blockClients, created };

  const judged = structuredClone(s);
  const reserve = new Map<string, string>();
  for (const b of pending) {
    blockShares(b.hours, b.week, W).forEach((h, k) => {
      if (h <= 0) return;
      // Reserve ids start with a number so they sort first among same-priority tickets.
      let n = 1;
      while (ids.has(`0-reserve-${b.client}-w${b.week + k}-${n}`)) n++;
      const ticket = `0-reserve-${b.client}-w${b.week + k}-${n}`;
      ids.add(ticket);
      judged.tickets.push({ id: ticket, client: b.client, title: 'reserved for the block', priority: 1, estimateHours: h, spentHours: 0, openedWeek: b.week + k });
      reserve.set(ticket, b.client);
    });
  }
  return { saved: s, judged, reserve, blockClients, created };
}
