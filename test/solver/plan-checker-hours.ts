/**
 * The plan checker's arithmetic and vocabulary: quarter hours, tolerances, natural id order, the
 * pinned and chosen parts of a row. Nothing here knows a scenario.
 */
import type { Allocation, TicketInput } from '../../solver/contract.ts';

export interface Violation {
  rule: string;
  message: string;
}

/** Exact identities (sums of quarter hours) and money-like figures. */
export const EXACT = 1e-6;
export const FIGURE = 1e-4;
/** DOMAIN.md: "a rate counts as met when delivered is within a quarter hour of it". */
export const QUARTER = 0.25;
export const DEFAULT_LEVELS = ['urgent-above-rate', 'payg', 'work-ahead'] as const;
export const LEVEL_OF_POLICY: Record<string, number> = { 'urgent-above-rate': 3, payg: 4, 'work-ahead': 5 };

export const fmt = (h: number): string => String(Math.round(h * 10000) / 10000);
export const floorQ = (h: number): number => Math.floor(h * 4 + EXACT) / 4 + 0;
export const ceilQ = (h: number): number => Math.ceil(h * 4 - EXACT) / 4 + 0; // + 0: never -0
export const isQuarter = (h: number): boolean => Math.abs(h * 4 - Math.round(h * 4)) < EXACT;
/** At least one plannable quarter hour. */
export const some = (h: number): boolean => h >= QUARTER - EXACT;

/** Natural order of ids (DOMAIN.md: T-9 before T-10); digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const nx = x.replace(/^0+/, '');
      const ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return pa.length !== pb.length ? pa.length - pb.length : a < b ? -1 : a > b ? 1 : 0;
}

/** The pinned hours of a row (SCENARIO.md: `pinned: true`, `pinnedHours` when the row mixes both). */
export const pinnedPart = (a: Allocation): number => (a.pinned ? (a.pinnedHours ?? a.hours) : 0);
/** Hours of a row the planner chose: the ones every precedence rule applies to. */
export const freePart = (a: Allocation): number => a.hours - pinnedPart(a);
export const ids = (ts: TicketInput[]) => ts.slice(0, 3).map((t) => t.id).join(', ') + (ts.length > 3 ? ', …' : '');
