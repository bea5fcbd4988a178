/** Plain lines about what a plan change does (a what-if answer, or the plan after an action). */
import type { PlanDiff, PlanView, PushedOut, WhatIfAnswer } from '../../../shared/api/index.ts';

/** What the wording reads of a plan: its clients' names and the work they had waiting. */
export interface ClientsOf {
  clients: readonly Pick<PlanView['clients'][number], 'id' | 'name' | 'demand'>[];
}

/** What a verdict reads of a what-if answer. */
export type VerdictInput = Pick<WhatIfAnswer, 'diff' | 'pushedOut' | 'available' | 'blockShortfall' | 'money'> & { plan?: ClientsOf | null };
import { fmtHours, signed, weekRanges } from './format.ts';
import { whatIfMoneyLine } from './revenue-data.ts';

/** The client figures the wording names, with what it calls them. */
export const FIGURES: [key: keyof PlanDiff['clients'][number]['delta'], label: string][] = [
  ['atRiskHours', 'at risk'],
  ['rolloverHours', 'rollover owed'],
  ['overageHours', 'overage'],
  ['plannedHours', 'planned'],
];
const MAX_LINES = 8;

/**
 * `plan` (the new plan) lets a week below the rate count only when the client had work waiting:
 * a client that presented nothing is not short-changed, its hours are at risk (and said so).
 */
export function diffLines(diff: PlanDiff, names: Map<string, string>, plan?: ClientsOf | null): string[] {
  const name = namer(names, plan);
  const demand = new Map((plan?.clients ?? []).map((c) => [c.id, c.demand]));
  const lines: string[] = [];
  for (const c of diff.clients) {
    if (c.emergencyDelta) lines.push(`${name(c.id)}: ${signed(c.emergencyDelta)} h of emergency work`);
    const waiting = demand.get(c.id);
    const below = waiting ? c.newlyBelowRate.filter((w) => (waiting[w.week] ?? 0) > 0.25) : c.newlyBelowRate;
    if (below.length) {
      const hours = below.reduce((t, w) => t + w.hours, 0);
      lines.push(`${name(c.id)} falls below its weekly rate in week${below.length > 1 ? 's' : ''} ${weekRanges(below.map((w) => w.week))} (${fmtHours(hours)} h short)`);
    }
    const moved = FIGURES.filter(([k]) => c.delta[k]).map(([k, label]) => `${label} ${signed(c.delta[k]!)} h`);
    if (moved.length) lines.push(`${name(c.id)}: ${moved.join(', ')}`);
  }
  const more = lines.length > MAX_LINES ? lines.length - MAX_LINES : 0;
  const out = lines.slice(0, MAX_LINES);
  if (more) out.push(`…and ${more} more change${more === 1 ? '' : 's'} to client figures`);
  const t = diff.tickets.length;
  if (t) out.push(`${t} ticket${t === 1 ? '' : 's'} ${t === 1 ? 'moves' : 'move'} in the plan`);
  if (!out.length) out.push('Nothing moves for any client.');
  return out;
}

function pushedLine(p: PushedOut, name: (id: string) => string, own = false): string {
  const who = p.name || name(p.client);
  const weeks = p.weeks.length ? ` (less of it in week${p.weeks.length > 1 ? 's' : ''} ${weekRanges(p.weeks)})` : '';
  return own
    ? `${who}'s new weekly rate would not be met: ${fmtHours(p.hours)} h short by quarter end${weeks}`
    : `${who} would end the quarter ${fmtHours(p.hours)} h short of its weekly rate${weeks}`;
}

export interface Verdict {
  ok: boolean;
  headline: string;
  lines: string[];
}

/** Names from the answer's own plan first: a message names a client, never its id. */
function namer(names: Map<string, string>, plan?: ClientsOf | null): (id: string) => string {
  const own = new Map((plan?.clients ?? []).map((c) => [c.id, c.name]));
  return (id) => own.get(id) || names.get(id) || 'a client';
}

const clientsCount = (n: number) => (n === 1 ? 'one client' : `${n} clients`);

/**
 * The what-if answer in words: available, or whom it would push below their rate. One list, one
 * count: the server's `pushedOut` is the list, the headline counts exactly the clients it lists,
 * and the figure lines below repeat nobody's "below its rate" (they come from the plan diff, a
 * different measure).
 */
export function whatIfVerdict(answer: VerdictInput, names: Map<string, string>): Verdict {
  const name = namer(names, answer.plan);
  const pushed = answer.pushedOut ?? [];
  const short = answer.blockShortfall ?? [];
  const isBlock = answer.available !== undefined;
  const ok = isBlock ? Boolean(answer.available) : pushed.length === 0;
  const n = pushed.length;
  const below = `${clientsCount(n)} below ${n === 1 ? 'its' : 'their'} weekly rate`;
  let headline: string;
  if (isBlock) {
    if (ok) headline = 'Available: the block fits and no other client is pushed below its weekly rate.';
    else if (n) headline = `Not available without cost: it would push ${below}${short.length ? ', and the new rate itself would not be met in full' : ''}.`;
    else headline = 'Not fully available: the new weekly rate cannot be met every week.';
  } else {
    headline = ok ? 'No client is pushed below its weekly rate.' : `${n === 1 ? 'One client' : `${n} clients`} would fall below ${n === 1 ? 'its' : 'their'} weekly rate.`;
  }
  const figures = diffLines({ ...answer.diff, clients: answer.diff.clients.map((c) => ({ ...c, newlyBelowRate: [] })) }, names, answer.plan);
  const money = whatIfMoneyLine(answer.money);
  return { ok, headline, lines: [...pushed.map((p) => pushedLine(p, name)), ...short.map((p) => pushedLine(p, name, true)), ...figures, ...(money ? [money] : [])] };
}
