/** Plain lines about what a plan change does (a what-if answer, or the plan after an action). */
import type { PlanDiff, PlanView, PushedOut, WhatIfAnswer } from '../api/types.ts';
import { fmtHours, signed, weekRanges } from './format.ts';

const FIGURES: [key: keyof PlanDiff['clients'][number]['delta'], label: string][] = [
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
export function diffLines(diff: PlanDiff, names: Map<string, string>, plan?: Pick<PlanView, 'clients'> | null): string[] {
  const name = (id: string) => names.get(id) ?? id;
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

function pushedLine(p: PushedOut, names: Map<string, string>, own = false): string {
  const who = p.name || names.get(p.client) || p.client;
  const weeks = `week${p.weeks.length > 1 ? 's' : ''} ${weekRanges(p.weeks)}`;
  return own ? `${who}'s own new rate would not be met in ${weeks} (${fmtHours(p.hours)} h short)` : `${who} would fall ${fmtHours(p.hours)} h below its weekly rate in ${weeks}`;
}

export interface Verdict {
  ok: boolean;
  headline: string;
  lines: string[];
}

/** The what-if answer in words: available, or whom it would push out. */
export function whatIfVerdict(answer: WhatIfAnswer, names: Map<string, string>): Verdict {
  const pushed = answer.pushedOut ?? [];
  const short = answer.blockShortfall ?? [];
  const isBlock = answer.available !== undefined;
  const ok = isBlock ? Boolean(answer.available) : pushed.length === 0;
  const n = pushed.length;
  const clients = `${n} client${n === 1 ? '' : 's'}`;
  let headline: string;
  if (isBlock) headline = ok ? 'Available: the block fits and no other client is pushed below its weekly rate.' : n ? `Not available without cost: it would push ${clients} below their weekly rate.` : 'Not fully available: the new weekly rate cannot be met every week.';
  else headline = ok ? 'No client is pushed below its weekly rate.' : `${n === 1 ? 'One client' : clients} would fall below their weekly rate.`;
  const named = new Set([...pushed, ...short].map((p) => p.client));
  const rest = diffLines({ ...answer.diff, clients: answer.diff.clients.map((c) => (named.has(c.id) ? { ...c, newlyBelowRate: [] } : c)) }, names, answer.plan);
  return { ok, headline, lines: [...pushed.map((p) => pushedLine(p, names)), ...short.map((p) => pushedLine(p, names, true)), ...rest] };
}
