/**
 * Level 4 (policy "payg"). Pay-as-you-go tickets and prepaid overage, by priority across clients;
 * at equal priority prepaid clients' work first (the page: priority is always given to pre-paid
 * clients). A prepaid client's work above its level-2 target is overage when its presented work
 * exceeds its balance (presented[w] > balance, DOMAIN.md): those hours are billed at the PAYG rate
 * whatever order they are done in, so they compete with PAYG work by priority. Work of a client
 * whose balance is used up is overage too.
 */
import type { MClient, MTicket } from '../model.ts';
import { plainWork, type Rule, type WeekContext } from './week-context.ts';

/** Whether a ticket's hours above its client's target are level-4 work this week. */
export function isOverageOrPayg(c: MClient, week: number, balanceLeftQ: number): boolean {
  return !c.prepaid || c.overage[week] === 1 || balanceLeftQ <= 0;
}

export const paygAndOverage: Rule = {
  name: 'pay-as-you-go and overage',
  level: 4,
  plan(ctx: WeekContext) {
    // By priority, prepaid clients' work first at equal priority, then rank: ctx.open is in rank
    // order, so one list per (priority, prepaid or not) keeps it within each.
    const lists: MTicket[][] = [[], [], [], [], [], [], [], []];
    for (const t of ctx.open) {
      if (!plainWork(t) || !isOverageOrPayg(t.client, ctx.week, ctx.balanceLeftQ[t.client.idx]!)) continue;
      lists[(t.priority - 1) * 2 + (t.client.prepaid ? 0 : 1)]!.push(t);
    }
    for (const list of lists) for (const t of list) ctx.serve(t, Number.MAX_SAFE_INTEGER);
  },
};
