/** One colour per precedence level (DOMAIN.md), used by every chart, legend and badge. */
import type { Level } from '../../../shared/api/index.ts';

export interface LevelInfo {
  level: Level;
  key: string;
  label: string;
  short: string;
  color: string;
}

export const LEVELS: readonly LevelInfo[] = [
  { level: 1, key: 'emergency', label: 'Emergency', short: 'Emergency', color: '#d1495b' },
  { level: 2, key: 'rate', label: 'Prepaid rate', short: 'Rate', color: '#2f6fb3' },
  { level: 3, key: 'urgent', label: 'Urgent above rate', short: 'Urgent+', color: '#c98a1b' },
  { level: 4, key: 'payg', label: 'Pay-as-you-go & overage', short: 'PAYG', color: '#7a5cbf' },
  { level: 5, key: 'ahead', label: 'Work ahead / catch-up', short: 'Ahead', color: '#3a9d7a' },
];

export function levelInfo(level: number): LevelInfo {
  return LEVELS[Math.min(5, Math.max(1, level)) - 1]!;
}

/** Colours of the client figures, distinct from the level colours. */
export const FIGURE_COLORS = {
  capacity: '#1f2a37',
  leave: '#8a94a6',
  bought: '#b4bcc8',
  used: '#1f2a37',
  planned: '#2f6fb3',
  rate: '#6b7a90',
  atRisk: '#e76f2e',
  rollover: '#3a9d7a',
  overage: '#7a5cbf',
} as const;

/** A colour with transparency, for filled areas: ('#2f6fb3', 0.2) → 'rgba(47,111,179,0.2)'. */
export function alpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}
