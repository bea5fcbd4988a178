/**
 * Level 2. Each prepaid client's locked-in rate, as a locked-in average (DOMAIN.md): the week's
 * target is the client's own week, ideal[w], plus what it is behind (shortfall to date + Σ ideal −
 * Σ delivered over the planned weeks before), never more than the balance left at the start of
 * the week. Emergency hours, pinned hours and hours logged this week count toward it.
 *
 * Every client's own week is served before anyone's catch-up, whatever the priorities. Within
 * each pass tickets are served in rank order across clients (priority, due week, lowest id),
 * through the flow network's client layer: a client's target may move among its own tickets of
 * other skills when that frees a person for another client's target, so every target that can be
 * met is met before anyone gets hours above theirs (levels 3-5). A last repair moves each
 * client's target onto its highest-priority tickets where the people allow it, so the hours
 * above its target are its lowest-priority hours.
 *
 * Quarter hours: ideal[w] is rounded cumulatively from the current week (20 h over 13 weeks: 1.5,
 * 1.5, 1.5, 1.75, …) with the last planned week rounding the total up (model.quarterHourRates),
 * so every week is within a quarter hour of the exact figure and rounding never creates shortfall.
 */
import type { MClient, MTicket } from '../model.ts';
import { plainWork, type Rule, type WeekContext } from './week-context.ts';

/** The level-2 target of a prepaid client this week and its own-week part, in quarters. */
export function weekTarget(ctx: WeekContext, c: MClient): { target: number; own: number } {
  if (!c.prepaid) return { target: 0, own: 0 };
  const w = ctx.week;
  const startBalance = ctx.balanceStartQ[c.idx]!;
  const own = Math.min(c.idealQ[w]!, startBalance);
  const behind = Math.max(0, c.shortfallToDateQ + c.idealBeforeQ[w]! - ctx.deliveredBeforeQ(c));
  return { target: Math.min(own + behind, startBalance), own };
}

/** Rounds of a level-2 pass at most (each lets the clients filled in the round before be re-routed). */
const MAX_ROUNDS = 8;

interface WorkNode {
  client: MClient;
  node: number;
  /** The client's tickets behind this (client, skill) node, in rank order, and their quarters. */
  tickets: MTicket[];
  q: number[];
}

export const lockedInRate: Rule = {
  name: 'locked-in rate',
  level: 2,
  plan(ctx: WeekContext) {
    const { model, flow } = ctx;
    const C = model.clients.length;
    const ownLeft = new Int32Array(C);
    const targetLeft = new Int32Array(C);
    for (const c of model.clients) {
      if (!c.prepaid) continue;
      const { target, own } = weekTarget(ctx, c);
      ctx.rateTargetQ[c.idx] = target;
      ownLeft[c.idx] = Math.max(0, own - ctx.weekQ[c.idx]!);
      targetLeft[c.idx] = Math.max(0, target - ctx.weekQ[c.idx]!);
    }

    // One work node per (client, skill node) with open work, for clients still short of target.
    // And each client's tickets on them, in rank order (for the repair).
    const nodes: WorkNode[] = [];
    const index = new Map<number, number>();
    const ranked = new Map<MClient, RankedTicket[]>();
    const K = model.skillNodes.length;
    for (const t of ctx.open) {
      const c = t.client;
      if (!c.prepaid || !plainWork(t) || targetLeft[c.idx]! <= 0 || ctx.remQ[t.idx]! <= 0) continue;
      const key = c.idx * K + t.skillNode;
      let j = index.get(key);
      if (j === undefined) {
        index.set(key, (j = nodes.length));
        nodes.push({ client: c, node: t.skillNode, tickets: [], q: [] });
      }
      nodes[j]!.tickets.push(t);
      nodes[j]!.q.push(ctx.remQ[t.idx]!);
      const list = ranked.get(c);
      const entry = { t, j, q: ctx.remQ[t.idx]! };
      if (list) list.push(entry);
      else ranked.set(c, [entry]);
    }
    if (nodes.length === 0) return;
    flow.beginClientPhase(
      ctx.phase,
      C,
      nodes.map((n) => ({ client: n.client.idx, node: n.node, q: n.q.reduce((a, b) => a + b, 0) })),
    );

    // A ticket's turn fills its node up to and including its own hours (the node's hours go to
    // its tickets in rank order), never further: later tickets of the node wait for their turn.
    const through = new Map<MTicket, number>();
    for (const n of nodes) {
      let sum = 0;
      n.tickets.forEach((t, i) => through.set(t, (sum += n.q[i]!)));
    }
    // A client's hours move among its tickets (for someone else's target) only once it has all
    // it can claim: moving a client still short would spend hours its own later tickets would
    // have had, handing a less urgent ticket of another client its place. So each pass goes in
    // rounds: the clients already full at a round's start may be re-routed during it, and a
    // round that fills more clients gives everyone still short, in rank order, another turn.
    const pass = (budget: Int32Array) => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const full = new Uint8Array(budget.length);
        for (let c = 0; c < budget.length; c++) full[c] = budget[c]! <= 0 ? 1 : 0;
        flow.setReroutable((c) => full[c] === 1);
        if (round > 0) flow.clearBlocked();
        let filled = false;
        for (const t of ctx.open) {
          const c = t.client;
          if (!c.prepaid || budget[c.idx]! <= 0 || !plainWork(t)) continue;
          const upTo = through.get(t);
          if (upTo === undefined) continue; // no hours left once emergencies and pins were planned
          const j = flow.workNode(c.idx, t.skillNode);
          const room = upTo - flow.workFlow(j);
          if (room <= 0 || flow.workBlocked(j)) continue;
          const got = flow.augmentTarget(j, Math.min(budget[c.idx]!, room), ctx.preferred(t));
          budget[c.idx]! -= got;
          if (budget !== targetLeft) targetLeft[c.idx]! -= got;
          if (got > 0 && budget[c.idx]! <= 0) filled = true;
        }
        if (!filled) break;
      }
    };
    pass(ownLeft); // every client's own week first,
    pass(targetLeft); // then what they are behind.
    repair(ctx, nodes, ranked);

    // Each work node's hours go to its tickets in rank order.
    const hours = flow.endClientPhase();
    nodes.forEach((n, j) => {
      let left = hours[j]!;
      n.tickets.forEach((t, i) => {
        const q = Math.min(left, n.q[i]!);
        if (q > 0) ctx.credit(t, q);
        left -= q;
      });
    });
  },
};

/**
 * Moves each client's target onto its higher-priority tickets: while a ticket has open work that
 * its node's hours do not cover and a lower-ranked ticket of the same client on another node has
 * target hours, try to shift those hours (the people re-routed as needed).
 */
function repair(ctx: WeekContext, nodes: WorkNode[], ranked: ReadonlyMap<MClient, RankedTicket[]>): void {
  // Each client with work nodes of two skills or more, and its tickets on them in rank order.
  const byClient = new Map<MClient, number[]>();
  nodes.forEach((n, j) => {
    let list = byClient.get(n.client);
    if (!list) byClient.set(n.client, (list = []));
    list.push(j);
  });
  const clients: RepairClient[] = [];
  for (const [c, js] of byClient) if (js.length >= 2) clients.push({ js, tickets: ranked.get(c)! });
  // Blocked marks say no free person is reachable from a node; a repair looks for the client's own
  // lower-priority work instead, so marks left by the passes do not hold for it.
  ctx.flow.clearBlocked();
  // A repair that ends at a free person frees the lower-priority hours it cancels, which can let
  // another client's repair through: go round until nothing moves (a few rounds at most).
  for (let round = 0; round < 4 && repairRound(ctx, nodes, clients); round++);
}

/** A ticket on work node j with q quarters of open work. */
interface RankedTicket {
  t: MTicket;
  j: number;
  q: number;
}

interface RepairClient {
  /** The client's work nodes. */
  js: number[];
  /** Its tickets on them in rank order. */
  tickets: RankedTicket[];
}

/** Quarters of the node's tickets ranked above `rank` (they take the node's hours first). */
function above(n: WorkNode, rank: number): number {
  let q = 0;
  for (let i = 0; i < n.tickets.length && n.tickets[i]!.rank < rank; i++) q += n.q[i]!;
  return q;
}

/** The rank of the lowest-priority ticket a node's hours (`hours`) reach. */
function lowestServed(n: WorkNode, hours: number): number {
  let left = hours;
  let rank = -1;
  for (let i = 0; i < n.tickets.length && left > 0; i++) {
    rank = n.tickets[i]!.rank;
    left -= n.q[i]!;
  }
  return rank;
}

/** The rank of the node's first ticket its hours do not cover in full. */
function firstShort(n: WorkNode, hours: number): number {
  let left = hours;
  for (let i = 0; i < n.tickets.length; i++) {
    if (left < n.q[i]!) return n.tickets[i]!.rank;
    left -= n.q[i]!;
  }
  return Number.MAX_SAFE_INTEGER;
}

/** Room on work node jj to take target hours off for a ticket of rank `rank` on node j. */
function lowRoomFor(ctx: WeekContext, nodes: WorkNode[], j: number, rank: number): (jj: number) => number {
  return (jj) => (jj === j ? 0 : Math.max(0, ctx.flow.workFlow(jj) - above(nodes[jj]!, rank)));
}

function repairRound(ctx: WeekContext, nodes: WorkNode[], clients: readonly RepairClient[]): boolean {
  const { flow } = ctx;
  let movedAny = false;
  for (const client of clients) {
    const { js } = client;
    // Nothing to repair unless a ticket short of its hours outranks one that has target hours.
    let worstServed = -Infinity;
    let shortest = Infinity;
    for (const j of js) {
      worstServed = Math.max(worstServed, lowestServed(nodes[j]!, flow.workFlow(j)));
      shortest = Math.min(shortest, firstShort(nodes[j]!, flow.workFlow(j)));
    }
    if (shortest > worstServed) continue;
    const tried = new Set<number>();
    for (const { t, j, q } of client.tickets) {
      if (tried.has(j)) continue;
      const unmet = q - Math.max(0, Math.min(q, flow.workFlow(j) - above(nodes[j]!, t.rank)));
      if (unmet <= 0) continue;
      const lowRoom = lowRoomFor(ctx, nodes, j, t.rank);
      const others = js.filter((jj) => jj !== j && lowRoom(jj) > 0);
      if (others.length === 0) continue;
      const cancelOrder = others.sort((a, b) => lowestServed(nodes[b]!, flow.workFlow(b)) - lowestServed(nodes[a]!, flow.workFlow(a)));
      const moved = flow.repairTarget(j, unmet, lowRoom, cancelOrder);
      if (moved > 0) movedAny = true;
      if (moved < unmet) tried.add(j);
    }
  }
  return movedAny;
}
