/** Utilisation heatmap: staff × week, hours and percentage of capacity. */
import type { StaffPlan } from '../../../shared/api/index.ts';
import { tidy } from './chart-spec.ts';

export type HeatBand = 'off' | 'idle' | 'low' | 'mid' | 'high' | 'full' | 'over';

export interface HeatCell {
  week: number;
  hours: number;
  capacity: number;
  leave: number;
  pct: number | null;
  band: HeatBand;
  /** For screen readers and tooltips. */
  text: string;
}

export interface HeatRow {
  id: string;
  name: string;
  cells: HeatCell[];
  hours: number;
  capacity: number;
  pct: number | null;
}

export function band(hours: number, capacity: number): HeatBand {
  if (capacity <= 0) return hours > 0 ? 'over' : 'off';
  const p = hours / capacity;
  if (p > 1.0001) return 'over';
  if (p >= 0.999) return 'full';
  if (p >= 0.75) return 'high';
  if (p >= 0.4) return 'mid';
  if (p > 0) return 'low';
  return 'idle';
}

export function heatmapRows(staff: StaffPlan[], fromWeek: number, weeks: number): { weeks: number[]; rows: HeatRow[] } {
  const cols = Array.from({ length: Math.max(0, weeks - fromWeek) }, (_, i) => fromWeek + i);
  const rows = staff
    .map((s) => {
      const cells = cols.map((w): HeatCell => {
        const hours = tidy(s.allocated[w] ?? 0);
        const capacity = tidy(s.capacity[w] ?? 0);
        const leave = tidy(s.leave?.[w] ?? 0);
        const pct = capacity > 0 ? Math.round((hours / capacity) * 100) : null;
        const onLeave = leave > 0 ? `, ${leave} h leave` : '';
        return {
          week: w,
          hours,
          capacity,
          leave,
          pct,
          band: band(hours, capacity),
          text: capacity > 0 ? `${s.name}, week ${w}: ${hours} of ${capacity} h (${pct}%)${onLeave}` : `${s.name}, week ${w}: not available${onLeave}`,
        };
      });
      const hours = tidy(cells.reduce((t, c) => t + c.hours, 0));
      const capacity = tidy(cells.reduce((t, c) => t + c.capacity, 0));
      return { id: s.id, name: s.name || s.id, cells, hours, capacity, pct: capacity > 0 ? Math.round((hours / capacity) * 100) : null };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { weeks: cols, rows };
}
