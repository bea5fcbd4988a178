/**
 * Plain sentences about a client's hours: what will expire, why, and what the client can do.
 *
 * The advice matches the cause (DOMAIN.md, from the plan's `advice`): where work the client has
 * already presented is left unplanned, it is told which tickets and why and asked to talk to the
 * company, not to present more; where it presented too little, it is asked to present tasks by
 * the present-by week. Every figure is said in quarter hours.
 *
 * Shared: the dashboard shows these sentences and the server's at-risk mail sends the same one.
 */
import type { ClientPlan } from './api/index.ts';
import { fmtHours, weekDate, weekLong } from './week-format.ts';

type Quarter = { weeks: number; currentWeek: number; startDate?: string | null };

export interface HoursSentences {
  /** The headline: what will expire, and what to do about it. */
  expiry: string;
  rollover: string | null;
  overage: string | null;
  tone: 'ok' | 'warn' | 'info';
}

/** Hours as the dashboard says them: in quarter hours. */
export const fmtQuarterHours = (h: number | null | undefined) => fmtHours(h === null || h === undefined ? h : Math.round(h * 4) / 4);

const unplannedWork = (c: ClientPlan) => c.advice?.cause === 'unplanned-work' && c.advice.tickets.length > 0;

/** "Q-2 (4 h: no capacity left in weeks 11-12: …)", joined. */
function ticketList(c: ClientPlan): string {
  return c.advice.tickets.map((t) => `${t.ticket} (${fmtQuarterHours(t.hours)} h: ${t.reason})`).join('; ');
}

function expiry(c: ClientPlan, q: Quarter, you: boolean): string {
  const h = fmtQuarterHours(c.atRiskHours);
  if (unplannedWork(c)) {
    const n = c.advice.tickets.length;
    const whose = you ? 'you have' : `${c.name} has`;
    const talk = you ? `Please talk to us about ${n === 1 ? 'it' : 'them'}` : `Talk to ${c.name} about ${n === 1 ? 'it' : 'them'}`;
    return `${h} hours will expire at the end of the quarter. Work ${whose} already presented is not planned in time: ${ticketList(c)}. ${talk}.`;
  }
  const who = you ? 'you' : c.name;
  const present = `present${you ? '' : 's'} new tasks`;
  const p = c.presentByWeek;
  if (p === null || p === undefined) return `${h} hours will expire at the end of the quarter unless ${who} ${present} soon.`;
  if (p <= q.currentWeek) return `${h} hours will expire at the end of the quarter unless ${who} ${present} this week to be done in time.`;
  return `${h} hours will expire at the end of the quarter unless ${who} ${present} by ${weekLong(q.startDate, p)} to be done in time.`;
}

/** The note under the "at risk" figure. */
export function atRiskNote(c: ClientPlan, q: Quarter, you = true): string {
  if (c.atRiskHours <= 0) return 'nothing at risk';
  if (unplannedWork(c)) return you ? 'work you presented is not planned: talk to us' : 'presented work not planned';
  if (c.presentByWeek === null || c.presentByWeek === undefined) return 'present tasks soon';
  return `present tasks by week ${c.presentByWeek}${q.startDate ? `, ${weekDate(q.startDate, c.presentByWeek)}` : ''}`;
}

export function hoursSentences(c: ClientPlan, q: Quarter, you = true): HoursSentences {
  const your = you ? 'your' : `${c.name}'s`;
  if (c.plan === 'payg') {
    return {
      expiry: `${you ? 'You are' : `${c.name} is`} on pay-as-you-go: there are no prepaid hours to expire. ${fmtQuarterHours(c.plannedHours)} hours of work are planned this quarter.`,
      rollover: null,
      overage: null,
      tone: 'info',
    };
  }
  let text: string;
  let tone: HoursSentences['tone'] = 'ok';
  if (c.atRiskHours > 0) {
    tone = 'warn';
    text = expiry(c, q, you);
  } else if (c.forecastUnusedHours > 0) {
    text = `No hours are set to expire: the ${fmtQuarterHours(c.forecastUnusedHours)} hours left at the end are owed and roll over.`;
  } else {
    text = `No hours are set to expire: the planned work uses all of ${your} ${fmtQuarterHours(c.balanceHours)} remaining hours.`;
  }
  const rollover =
    c.rolloverHours > 0
      ? `We owe ${you ? 'you' : c.name} ${fmtQuarterHours(c.rolloverHours)} hours: work presented in time that we will not deliver at the agreed weekly rate. They roll over into next quarter.`
      : null;
  const overage =
    c.overageHours > 0 ? `${fmtQuarterHours(c.overageHours)} hours of planned work go beyond ${your} balance and are billed as pay-as-you-go (overage).` : null;
  return { expiry: text, rollover, overage, tone };
}
