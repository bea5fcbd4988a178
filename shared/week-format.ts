/**
 * Hours and week wording shared by the dashboard and the server's messages (notifications say
 * what the dashboard says, in the same words and figures).
 */
const hoursFmt = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** 12.5 → "12.5", 0.25 → "0.25", -0 → "0". */
export function fmtHours(h: number | null | undefined): string {
  if (h === null || h === undefined || Number.isNaN(h)) return '–';
  const v = Math.round(h * 100) / 100;
  return hoursFmt.format(v === 0 ? 0 : v);
}

/** "12.5 h" */
export function hoursText(h: number | null | undefined): string {
  return `${fmtHours(h)} h`;
}

/** "+3.5", "−2", "0" */
export function signed(h: number): string {
  if (Math.abs(h) < 0.005) return '0';
  return `${h > 0 ? '+' : '−'}${fmtHours(Math.abs(h))}`;
}

/** The Monday of week `w` (weeks count from the quarter's startDate). */
export function weekStart(startDate: string | null | undefined, w: number): Date | null {
  if (!startDate) return null;
  const t = Date.parse(`${startDate}T00:00:00Z`);
  if (Number.isNaN(t)) return null;
  return new Date(t + w * 7 * 86_400_000);
}

const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** "30 Nov" for the Monday of week w, or "" without a start date. */
export function weekDate(startDate: string | null | undefined, w: number): string {
  const d = weekStart(startDate, w);
  return d ? dayMonth.format(d) : '';
}

/** "week 8 (starting 30 Nov)" */
export function weekLong(startDate: string | null | undefined, w: number): string {
  const d = weekDate(startDate, w);
  return d ? `week ${w} (starting ${d})` : `week ${w}`;
}
