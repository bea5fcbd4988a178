/**
 * The quarter the browser tests run against. Capacity is tight: pay-as-you-go work fills every
 * hour the prepaid rates leave. Quill's Q-1 is big enough that, declared an emergency, it takes
 * every hour to quarter end: Harbor's rate goes unmet with no week left to catch it up (a missed
 * week is caught up at level 2 when there is one), so its rollover owed goes from 0 to all 36 h
 * of its balance.
 */
export const E2E_QUARTER = 'E2E-Q';

export function e2eScenario() {
  return {
    quarter: { id: E2E_QUARTER, weeks: 13, currentWeek: 4, startDate: '2026-09-28' },
    staff: [
      { id: 'ana', name: 'Ana Lima', weeklyHours: 20, skills: ['linux'] },
      { id: 'bo', name: 'Bo Berg', weeklyHours: 20, skills: ['linux'], leave: { '7': 8 } },
    ],
    clients: [
      { id: 'harbor', name: 'Harbor Dental', plan: 'prepaid', purchases: [{ week: 0, hours: 52 }], usedByWeek: [4, 4, 4, 4] },
      { id: 'quill', name: 'Quill Books', plan: 'prepaid', purchases: [{ week: 0, hours: 39 }], usedByWeek: [3, 3, 3, 3] },
      { id: 'nimbus', name: 'Nimbus Travel', plan: 'prepaid', purchases: [{ week: 0, hours: 26 }], usedByWeek: [1, 1, 1, 1] },
      { id: 'dyno', name: 'Dyno Gyms', plan: 'payg' },
    ],
    tickets: [
      { id: 'H-1', client: 'harbor', title: 'Booking system upgrade', priority: 2, estimateHours: 40, openedWeek: 0 },
      { id: 'Q-1', client: 'quill', title: 'Shop checkout failing', priority: 3, estimateHours: 360, openedWeek: 4, skill: 'linux' },
      { id: 'Q-2', client: 'quill', title: 'Newsletter template', priority: 3, estimateHours: 12, openedWeek: 2 },
      { id: 'D-1', client: 'dyno', title: 'Member app rebuild', priority: 3, estimateHours: 500, openedWeek: 0 },
      { id: 'D-2', client: 'dyno', title: 'Oracle export', priority: 2, estimateHours: 6, openedWeek: 3, skill: 'oracle' },
    ],
    policy: {},
  };
}
