/**
 * Whether the planner holds pins yet (SCENARIO.md `pins`: pinned rows carry `pinned: true`). The
 * server and browser tests of pins assert the plan's side of the contract only once it does;
 * until then they test what the server and the dashboard do with pins on their own.
 */
import { plan } from '../../solver/index.ts';

let holds: boolean | undefined;

export function plannerHoldsPins(): boolean {
  holds ??= (() => {
    const p = plan({
      quarter: { id: 'probe', weeks: 1 },
      staff: [{ id: 'a', weeklyHours: 8 }, { id: 'b', weeklyHours: 8 }],
      clients: [{ id: 'c', plan: 'payg' }],
      tickets: [{ id: 'T-1', client: 'c', priority: 3, estimateHours: 2, openedWeek: 0 }],
      pins: [{ ticket: 'T-1', staff: 'b', week: 0, hours: 2 }],
    });
    return p.allocations.some((a) => a.pinned === true && a.staff === 'b') && Array.isArray(p.pinIssues);
  })();
  return holds;
}
