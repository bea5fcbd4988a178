/**
 * A client's hours this quarter as a burn-down: the balance left at the start of each week,
 * from hours used (history) and hours planned (the plan), with the hours that will expire
 * (at risk) and the hours owed (rollover) shaded at the bottom.
 */
import type { ClientPlan } from '../../../shared/api/index.ts';
import { FIGURE_COLORS, alpha } from './levels.ts';
import { tidy, type ChartSpec } from './chart-spec.ts';
import { fmtHours, weekDate, weekShort } from './format.ts';

export interface BurnDownPoint {
  /** Week index; `weeks` stands for the quarter's end. */
  week: number;
  label: string;
  /** Balance left at the start of this week if the plan is carried out. */
  balance: number;
  /** Hours used (history) or planned in this week. */
  delivered: number;
  kind: 'used' | 'planned' | 'end';
  rate: number;
}

export interface BurnDown {
  total: number;
  points: BurnDownPoint[];
  chart: ChartSpec;
}

type Quarter = { weeks: number; currentWeek: number; startDate?: string | null };

export function burnDown(c: ClientPlan, q: Quarter): BurnDown {
  const total = tidy(c.boughtHours + c.rolloverInHours);
  const points: BurnDownPoint[] = [];
  let spent = 0;
  for (let w = 0; w <= q.weeks; w++) {
    const delivered = w < q.weeks ? (c.delivered[w] ?? 0) : 0;
    points.push({
      week: w,
      label: w < q.weeks ? weekShort(w) : 'End',
      balance: tidy(Math.max(0, total - spent)),
      delivered: tidy(delivered),
      kind: w === q.weeks ? 'end' : w < q.currentWeek ? 'used' : 'planned',
      rate: tidy(c.rate[w] ?? 0),
    });
    spent += delivered;
  }
  const cw = q.currentWeek;
  const atRisk = tidy(c.atRiskHours);
  const owed = tidy(c.atRiskHours + c.rolloverHours);
  let atRate = points[cw]?.balance ?? 0;
  const rateLine = points.map((p) => {
    if (p.week < cw) return null;
    const v = tidy(Math.max(0, atRate));
    atRate -= p.rate;
    return v;
  });
  const labels = points.map((p) => (p.week < q.weeks ? `${p.label}${q.startDate ? ` · ${weekDate(q.startDate, p.week)}` : ''}` : 'End'));
  const chart: ChartSpec = {
    labels,
    yTitle: 'Hours left to use',
    series: [
      { id: 'bought', label: `Bought${c.rolloverInHours ? ' + rolled in' : ''} (${fmtHours(total)} h)`, data: points.map(() => total), color: FIGURE_COLORS.bought, kind: 'line', dashed: true, points: false, order: 3 },
      { id: 'used', label: 'Used', data: points.map((p) => (p.week <= cw ? p.balance : null)), color: FIGURE_COLORS.used, kind: 'line', order: 1 },
      { id: 'planned', label: 'Planned (forecast)', data: points.map((p) => (p.week >= cw ? p.balance : null)), color: FIGURE_COLORS.planned, kind: 'line', order: 0 },
      { id: 'rate', label: 'At your weekly rate', data: rateLine, color: FIGURE_COLORS.rate, kind: 'line', dashed: true, order: 2 },
    ],
  };
  if (atRisk > 0) {
    chart.series.push({ id: 'at-risk', label: `At risk of expiring (${fmtHours(atRisk)} h)`, data: points.map((p) => (p.week >= cw ? Math.min(p.balance, atRisk) : null)), color: alpha(FIGURE_COLORS.atRisk, 0.35), kind: 'area', fill: 'origin', order: 5 });
  }
  if (c.rolloverHours > 0) {
    chart.series.push({ id: 'rollover', label: `Rolls over, owed to you (${fmtHours(c.rolloverHours)} h)`, data: points.map((p) => (p.week >= cw ? Math.min(p.balance, owed) : null)), color: alpha(FIGURE_COLORS.rollover, 0.3), kind: 'area', fill: atRisk > 0 ? 'previous' : 'origin', order: 6 });
  }
  return { total, points, chart };
}

// The sentences beside the chart live with their advice.
export { hoursSentences, type HoursSentences } from './hours-sentences.ts';
