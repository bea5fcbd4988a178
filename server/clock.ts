/**
 * Moves each auto-advancing quarter's currentWeek on at the start of every week (Monday, UTC).
 * Checked at start-up and then every few minutes, so a sleeping server catches up on waking.
 */
import { Quarter } from './db/entities.ts';
import type { Services } from './services.ts';

export function weekOf(startDate: string, now: Date, weeks: number): number {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const w = Math.floor((now.getTime() - start) / (7 * 24 * 3600_000));
  return Math.min(weeks - 1, Math.max(0, w));
}

export async function advanceWeeks(s: Services, now = new Date()): Promise<string[]> {
  const quarters = await s.store.reader().find(Quarter, { autoAdvance: true, closedAt: null });
  const moved: string[] = [];
  for (const q of quarters) {
    if (!q.startDate) continue;
    const week = weekOf(q.startDate, now, q.weeks);
    if (week === q.currentWeek) continue;
    await s.store.write(null, 'new week', async (w) => {
      const fresh = await w.tx.findOne(Quarter, { id: q.id });
      if (!fresh || fresh.currentWeek === week) return;
      w.audit('advance-week', 'quarter', q.id, { currentWeek: fresh.currentWeek }, { currentWeek: week });
      fresh.currentWeek = week;
      await w.tx.flush();
      w.touch(q.id);
    });
    moved.push(q.id);
    s.logger.info({ quarterId: q.id, week }, 'moved on to a new week');
  }
  return moved;
}

export function startClock(s: Services, everyMs = 5 * 60_000): () => void {
  const tick = () => void advanceWeeks(s).catch((err) => s.logger.error({ err }, 'could not move quarters on to the new week'));
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
