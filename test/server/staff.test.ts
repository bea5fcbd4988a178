/** /api/staff: who reads which record, edits and leave, validation, locking, and the plan. */
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { expectFieldErrors, fieldsOf, logTime, malformed, oversized, QUARTER, recordEvents, rowCount, withSeededApp } from '../utils/resource-setup.ts';
import { dbTargets, type TestApp } from '../utils/test-app.ts';

describe.each(await dbTargets())('staff on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, sam: ApiClient;
  withSeededApp(target, async (s) => {
    ({ t, manager, harbor, sam } = s);
    expect((await manager.post('/api/staff', { id: 'ana', name: 'Ana', weeklyHours: 32, skills: ['linux'] })).status).toBe(201);
  });

  it('a manager reads everyone; a staff user only themselves; a client user nothing', async () => {
    const all = { body: (await manager.get('/api/staff')).body.items };
    expect(all.body.map((s: { id: string }) => s.id)).toEqual(['ana', 'sam']);
    expect(all.body[1]).toEqual({ id: 'sam', name: 'Sam Okafor', weeklyHours: 20, skills: ['linux', 'php'], active: true, version: 1, quarter: QUARTER, leave: {} });
    expect((await sam.get('/api/staff')).body).toMatchObject({ total: 1, nextCursor: null, items: [{ id: 'sam' }] });
    expect((await sam.get('/api/staff/sam')).body).toEqual(all.body[1]);
    expect((await sam.get('/api/staff/ana')).status).toBe(404);
    expect((await sam.get('/api/staff/nobody')).status).toBe(404);
    for (const path of ['/api/staff', '/api/staff/sam']) expect((await harbor.get(path)).status).toBe(403);
    expect((await t.anonymous().get('/api/staff')).status).toBe(401);
  });

  it('only managers add, edit or set leave: 403 for staff (also on themselves) and clients', async () => {
    const before = await rowCount(t, 'audit_log');
    for (const who of [sam, harbor]) {
      expect((await who.post('/api/staff', { id: 'eve', weeklyHours: 10 })).status).toBe(403);
      expect((await who.patch('/api/staff/sam', { version: 1, weeklyHours: 40 })).status).toBe(403);
      expect((await who.put('/api/staff/sam/leave', { week: 12, hours: 8 })).status).toBe(403);
    }
    expect(await rowCount(t, 'audit_log')).toBe(before);
    expect((await manager.get('/api/staff/sam')).body).toMatchObject({ weeklyHours: 20, leave: {}, version: 1 });
  });

  it('refuses bad bodies naming the field, and saves nothing', async () => {
    const before = await rowCount(t, 'staff');
    expect((await manager.post('/api/staff', { id: 'ana', weeklyHours: 10 })).status).toBe(409);
    await expectFieldErrors((b) => manager.post('/api/staff', b), [
      [{ id: 'eve' }, 'weeklyHours'],
      [{ id: 'eve', weeklyHours: 169 }, 'weeklyHours'],
      [{ id: 'eve', weeklyHours: 10.3 }, 'weeklyHours'],
      [{ id: 'eve', weeklyHours: '10' }, 'weeklyHours'],
      [{ weeklyHours: 10 }, 'id'],
      [{ id: 'eve', weeklyHours: 10, skills: 'php' }, 'skills'],
      [{ id: 'eve', weeklyHours: 10, skills: [''] }, 'skills[0]'],
      [{ id: 'eve', weeklyHours: 10, skills: Array.from({ length: 51 }, (_, i) => `s${i}`) }, 'skills'],
      [{ id: 'eve', weeklyHours: 10, leave: {} }, 'leave'],
    ]);
    expect((await malformed(manager, 'POST', '/api/staff')).body.error.code).toBe('invalid_json');
    expect((await manager.post('/api/staff', { id: 'eve', weeklyHours: 10, name: oversized().title })).status).toBe(413);
    expect(await rowCount(t, 'staff')).toBe(before);
  });

  it('a manager edits with the version read; stale → 409 with the current record; skills are deduplicated', async () => {
    const ana = (await manager.get('/api/staff/ana')).body;
    const missing = await manager.patch('/api/staff/ana', { weeklyHours: 30 });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing)).toEqual(['version']);
    const r = await manager.patch('/api/staff/ana', { version: ana.version, weeklyHours: 30.5, skills: ['php', 'php', 'sql'], name: 'Ana B.' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ weeklyHours: 30.5, skills: ['php', 'sql'], name: 'Ana B.', version: ana.version + 1 });
    const stale = await manager.patch('/api/staff/ana', { version: ana.version, weeklyHours: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current).toEqual((await manager.get('/api/staff/ana')).body);
    expect((await manager.patch('/api/staff/nobody', { version: 1, weeklyHours: 1 })).status).toBe(404);
  });

  it('two PATCHes with the same version at once: one wins, the other gets 409', async () => {
    const ana = (await manager.get('/api/staff/ana')).body;
    const [a, b] = await Promise.all([10, 12].map((weeklyHours) => manager.patch('/api/staff/ana', { version: ana.version, weeklyHours })));
    expect([a!.status, b!.status].sort()).toEqual([200, 409]);
    const winner = a!.status === 200 ? a! : b!;
    expect((await manager.get('/api/staff/ana')).body.weeklyHours).toBe(winner.body.weeklyHours);
  });

  it('weekly hours move every open plan; the change is announced', async () => {
    await t.settle();
    const before = (await manager.get('/api/plans/current')).body;
    const events = recordEvents(t, 'data.changed');
    const sm = (await manager.get('/api/staff/sam')).body;
    expect((await manager.patch('/api/staff/sam', { version: sm.version, weeklyHours: 24 })).status).toBe(200);
    events.stop();
    expect(events.events).toEqual([{ quarterIds: [QUARTER], entity: 'staff', id: 'sam', staffId: 'sam' }]);
    await t.settle();
    const after = (await manager.get('/api/plans/current')).body;
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.staff.find((s: { id: string }) => s.id === 'sam').capacity[12]).toBe(24);
  });

  it('leave: a manager sets a week (0 removes it), which takes that capacity out of the plan', async () => {
    await t.settle();
    const before = (await manager.get('/api/plans/current')).body.version;
    const r = await manager.put('/api/staff/sam/leave', { week: 12, hours: 8 });
    expect(r.status).toBe(200);
    expect(r.body.leave).toEqual({ '12': 8 });
    await t.settle();
    const plan = (await manager.get('/api/plans/current')).body;
    expect(plan.version).toBeGreaterThan(before);
    expect(plan.staff.find((s: { id: string }) => s.id === 'sam').capacity[12]).toBe(16);
    expect((await manager.put('/api/staff/sam/leave', { week: 12, hours: 6, quarter: QUARTER })).body.leave).toEqual({ '12': 6 });
    expect((await manager.put('/api/staff/sam/leave', { week: 12, hours: 0 })).body.leave).toEqual({});
    expect((await manager.get('/api/staff/sam')).body.leave).toEqual({});
  });

  it('refuses bad leave naming the field, and saves nothing', async () => {
    const before = await rowCount(t, 'leave');
    await expectFieldErrors((b) => manager.put('/api/staff/sam/leave', b), [
      [{ week: 13, hours: 8 }, 'week'],
      [{ hours: 8 }, 'week'],
      [{ week: 1, hours: 200 }, 'hours'],
      [{ week: 1, hours: -1 }, 'hours'],
      [{ week: 1, hours: 8, note: 'x' }, 'note'],
    ]);
    expect((await manager.put('/api/staff/nobody/leave', { week: 1, hours: 8 })).status).toBe(404);
    expect((await manager.put('/api/staff/sam/leave', { week: 1, hours: 8, quarter: '1999-Q1' })).status).toBe(404);
    expect(await rowCount(t, 'leave')).toBe(before);
  });

  it('keeps the quarter plannable: no deactivating someone who logged hours this week', async () => {
    const ana = (await manager.get('/api/staff/ana')).body;
    await logTime(t, { staffId: 'ana', ticketId: 'H-1', clientId: 'harbor', week: 11, hours: 1 });
    const r = await manager.patch('/api/staff/ana', { version: ana.version, active: false });
    expect(r.status).toBe(409);
    expect((await manager.get('/api/staff/ana')).body.active).toBe(true);
    const eve = (await manager.post('/api/staff', { id: 'eve', weeklyHours: 8 })).body;
    expect(eve).toMatchObject({ name: 'eve', skills: [], active: true });
    expect((await manager.patch('/api/staff/eve', { version: eve.version, active: false })).body.active).toBe(false);
  });

  it('pages the list in id order, and refuses a bad limit or cursor naming it', async () => {
    const first = (await manager.get('/api/staff?limit=1')).body;
    expect(first.items.map((s: { id: string }) => s.id)).toEqual(['ana']);
    expect(first.total).toBeGreaterThanOrEqual(2);
    const second = (await manager.get(`/api/staff?limit=1&cursor=${first.nextCursor}`)).body;
    expect(second.items.map((s: { id: string }) => s.id)).toEqual(['eve']);
    expect(second.total).toBe(first.total);
    for (const [query, field] of [['limit=0', 'limit'], ['cursor=nope', 'cursor'], ['offset=2', 'offset'], ['colour=red', 'colour']] as const) {
      const r = await manager.get(`/api/staff?${query}`);
      expect(r.status, query).toBe(400);
      expect(fieldsOf(r), query).toContain(field);
    }
  });

  it('lists the skills in use, of people and of open tickets', async () => {
    const r = await manager.get('/api/skills');
    expect(r.status).toBe(200);
    const skills = r.body.skills.map((x: { skill: string }) => x.skill);
    expect(skills).toEqual([...skills].sort());
    expect(r.body.skills.find((x: { skill: string }) => x.skill === 'linux')).toMatchObject({ skill: 'linux' });
    for (const who of [sam, harbor]) expect((await who.get('/api/skills')).status).toBe(403);
    expect((await t.anonymous().get('/api/skills')).status).toBe(401);
  });
});
