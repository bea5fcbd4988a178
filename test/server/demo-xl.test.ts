/** DEMO=xl: the generated quarter at scale that an empty database gets, with the usual demo sign-ins. */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../solver/index.ts';
import { loadConfig } from '../../server/config.ts';
import { xlDemoScenario } from '../../server/demo/demo-scenario.ts';
import { DEMO_USERS } from '../../server/seed.ts';

describe('the xl demo quarter', () => {
  it('is the xl size in the calendar quarter, and every demo sign-in names someone in it', () => {
    expect(loadConfig({ DEMO: 'xl' }).DEMO).toBe('xl');
    const s = parseScenario(xlDemoScenario(new Date('2026-11-18T10:00:00Z')));
    expect(s.quarter).toMatchObject({ id: '2026-Q4', weeks: 13, currentWeek: 7, startDate: '2026-09-28' });
    expect([s.staff.length, s.clients.length, s.tickets.length]).toEqual([120, 500, 10000]);
    const staff = new Set(s.staff.map((x) => x.id));
    const clients = new Set(s.clients.map((c) => c.id));
    for (const u of DEMO_USERS as readonly { email: string; staffId?: string; clientId?: string }[]) {
      if (u.staffId) expect(staff.has(u.staffId), u.email).toBe(true);
      if (u.clientId) expect(clients.has(u.clientId), u.email).toBe(true);
    }
    expect(s.tickets.every((t) => clients.has(t.client))).toBe(true);
    expect(s.tickets.some((t) => t.client === 'harbor')).toBe(true);
    expect(s.staff.find((x) => x.id === 'ana')?.name).toBe('Ana Lima');
  });
});
