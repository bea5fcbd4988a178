/**
 * A client's "Used" counts the hours logged this week at once (DOMAIN.md "Time": hours logged
 * during the current week count as delivered that week), as the staff page does, and "Planned"
 * stops counting them, so the two still add up to the plan's total. The plan itself (solver
 * output, the manager's figures) is unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { Q, datedScenario } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

type Fig = { id: string; usedHours: number; plannedHours: number; delivered: number[] };
const figOf = (plan: { clients: Fig[] }, id: string) => plan.clients.find((c) => c.id === id)!;

describe.each(await dbTargets())('client used hours this week on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let ana: ApiClient;
  let acme: ApiClient;

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    [ana, acme] = [await t.as('ana@staff.test'), await t.as('acme@client.test')];
  });
  afterAll(() => t?.close());

  it('hours logged this week show in Used at once, in exact hours, and leave Planned', async () => {
    const before = figOf((await acme.get('/api/plans/current')).body, 'acme');
    // acme used 10 h in each of weeks 0 and 1; nothing logged yet in week 2.
    expect(before.usedHours).toBe(20);
    const plannedBefore = before.plannedHours;

    // 2026-10-13 is in week 2 (the quarter starts on Monday 2026-09-28), the current week.
    expect((await ana.post('/api/time-entries', { ticket: 'A-1', hours: 3.5, date: '2026-10-13' })).status).toBe(201);
    expect((await manager.post('/api/time-entries', { ticket: 'A-2', staff: 'ana', hours: 1.25, date: '2026-10-12' })).status).toBe(201);
    await t.settle();

    const whole = figOf((await acme.get('/api/plans/current')).body, 'acme');
    expect(whole.usedHours).toBe(24.75);
    const detail = (await acme.get('/api/plans/current/clients/acme')).body.client as Fig;
    expect(detail.usedHours).toBe(24.75);

    // The manager's figures are the plan's own: the week's log is delivered in week 2.
    const raw = figOf((await manager.get('/api/plans/current')).body, 'acme');
    expect(raw.usedHours).toBe(20);
    expect(whole.plannedHours).toBe(raw.plannedHours - 4.75);
    expect(detail.plannedHours).toBe(whole.plannedHours);
    // Used + planned is what it was: logging hours moved them from one to the other.
    expect(whole.usedHours + whole.plannedHours).toBe(before.usedHours + plannedBefore);
  });

  it('an entry corrected or removed this week moves Used the same way', async () => {
    const mine = [...(await ana.get('/api/time-entries?week=2')).body.items, ...(await manager.get('/api/time-entries?week=2&ticket=A-2')).body.items] as { id: number; hours: number; version: number; ticket: string }[];
    const a1 = mine.find((e) => e.ticket === 'A-1')!;
    expect((await ana.patch(`/api/time-entries/${a1.id}`, { version: a1.version, hours: 2 })).status).toBe(200);
    await t.settle();
    expect(figOf((await acme.get('/api/plans/current')).body, 'acme').usedHours).toBe(23.25);
    const a2 = mine.find((e) => e.ticket === 'A-2')!;
    expect((await manager.delete(`/api/time-entries/${a2.id}?version=${a2.version}`)).status).toBe(204);
    await t.settle();
    expect(figOf((await acme.get('/api/plans/current')).body, 'acme').usedHours).toBe(22);
  });
});
