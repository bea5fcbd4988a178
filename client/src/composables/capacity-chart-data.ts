/** Manager's capacity per week: allocated hours by precedence level against capacity and leave. */
import type { WeekPlan } from '../../../shared/api/index.ts';
import { FIGURE_COLORS, LEVELS } from './levels.ts';
import { tidy, type ChartSpec } from './chart-spec.ts';
import { weekDate, weekShort } from './format.ts';

export interface CapacityRow {
  week: number;
  label: string;
  date: string;
  capacity: number;
  leave: number;
  /** Capacity before leave. */
  gross: number;
  allocated: number;
  free: number;
  byLevel: [number, number, number, number, number];
  utilisation: number | null;
}

/** Weeks from `fromWeek` on (the planned ones): this week first. */
export function capacityRows(weeks: WeekPlan[], fromWeek: number, startDate?: string | null): CapacityRow[] {
  return weeks
    .filter((w) => w.week >= fromWeek)
    .sort((a, b) => a.week - b.week)
    .map((w) => ({
      week: w.week,
      label: weekShort(w.week),
      date: weekDate(startDate, w.week),
      capacity: tidy(w.capacity),
      leave: tidy(w.leave),
      gross: tidy(w.capacity + w.leave),
      allocated: tidy(w.allocated),
      free: tidy(Math.max(0, w.capacity - w.allocated)),
      byLevel: w.byLevel.map(tidy) as CapacityRow['byLevel'],
      utilisation: w.capacity > 0 ? Math.round((w.allocated / w.capacity) * 100) : null,
    }));
}

export function capacityChart(rows: CapacityRow[]): ChartSpec {
  return {
    labels: rows.map((r) => (r.date ? `${r.label} · ${r.date}` : r.label)),
    stacked: true,
    yTitle: 'Hours',
    series: [
      ...LEVELS.map((l, i) => ({
        id: `level-${l.level}`,
        label: l.label,
        data: rows.map((r) => r.byLevel[i] ?? 0),
        color: l.color,
        kind: 'bar' as const,
        stack: 'allocated',
        order: 2,
      })),
      { id: 'capacity', label: 'Capacity (after leave)', data: rows.map((r) => r.capacity), color: FIGURE_COLORS.capacity, kind: 'line', stepped: true, order: 0 },
      { id: 'gross', label: 'Capacity before leave', data: rows.map((r) => r.gross), color: FIGURE_COLORS.leave, kind: 'line', dashed: true, stepped: true, order: 1 },
    ],
  };
}
