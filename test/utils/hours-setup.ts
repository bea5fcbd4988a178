/**
 * Set-up shared by the time-entry, CSV, quarter-close and what-if tests.
 *
 * `datedScenario` (quarter 2026-Q4, starts Monday 2026-09-28, 13 weeks, currentWeek 2):
 * staff ana (32 h, php) and sam (20 h, linux); prepaid acme (130 h: 10 h a week) and bolt
 * (65 h: 5 h a week), PAYG dyno. Tickets A-1, A-2 (acme), B-1 (bolt), D-1 (dyno).
 */
import type { ScenarioInput } from '../../solver/index.ts';
import type { DomainEvents, EventName } from '../../server/events.ts';
import type { TestApp } from './test-app.ts';

export const Q = '2026-Q4';

/** CSV bodies for the import routes: the tickets' full header, the content type, lines joined. */
export const TICKET_HEADER = 'id,client,title,priority,estimateHours,spentHours,openedWeek,skill,emergency,dueWeek,status,description';
export const CSV = { 'content-type': 'text/csv' };
export const lines = (...rows: string[]) => rows.join('\n') + '\n';

export function datedScenario(): ScenarioInput {
  return {
    quarter: { id: Q, weeks: 13, currentWeek: 2, startDate: '2026-09-28' },
    staff: [
      { id: 'ana', name: 'Ana', weeklyHours: 32, skills: ['php'] },
      { id: 'sam', name: 'Sam', weeklyHours: 20, skills: ['linux'] },
    ],
    clients: [
      { id: 'acme', name: 'Acme Ltd', plan: 'prepaid', purchases: [{ week: 0, hours: 130 }], usedByWeek: [10, 10] },
      { id: 'bolt', name: 'Bolt Co', plan: 'prepaid', purchases: [{ week: 0, hours: 65 }], usedByWeek: [5, 5] },
      { id: 'dyno', name: 'Dyno Gyms', plan: 'payg' },
    ],
    tickets: [
      { id: 'A-1', client: 'acme', title: 'Upgrade PHP', priority: 2, estimateHours: 40, spentHours: 4, openedWeek: 0, skill: 'php' },
      { id: 'A-2', client: 'acme', title: 'New theme', priority: 3, estimateHours: 60, openedWeek: 1 },
      { id: 'B-1', client: 'bolt', title: 'Mail server', priority: 3, estimateHours: 50, openedWeek: 0, skill: 'linux' },
      { id: 'D-1', client: 'dyno', title: 'Booking form', priority: 3, estimateHours: 12, openedWeek: 2 },
    ],
  };
}

/** Rows in a table, read straight from the database. */
export async function rowCount(t: TestApp, table: string): Promise<number> {
  const rows = await t.app.services.store.reader().execute<{ n: string }[]>(`select count(*) as n from ${table}`);
  return Number(rows[0]!.n);
}

export async function rowCounts(t: TestApp, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = await rowCount(t, table);
  return out;
}

/** Records the events of one name from now on. */
export function recordEvents<K extends EventName>(t: TestApp, name: K): { events: DomainEvents[K][]; stop: () => void } {
  const events: DomainEvents[K][] = [];
  const stop = t.app.services.events.on(name, (p) => events.push(p));
  return { events, stop };
}
