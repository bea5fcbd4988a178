/**
 * Requests that race each other leave the data as one of them alone would, and every answer
 * says what was stored. On PostgreSQL the requests really run at once (PGlite has one
 * connection, so there they take turns), many times over.
 *
 * The reproduction: a block recorded while its client was being made pay-as-you-go left a PAYG
 * client holding a prepaid block; ten DELETEs of one time entry all answered 204 and wrote ten
 * audit rows; PATCH /api/quarters/:id answered a data revision the commit had already moved on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { Q, datedScenario, recordEvents } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const ROUNDS = 30;

describe.each(await dbTargets())('races on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []) => t.app.services.store.reader().execute<T[]>(query, params);

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
  });
  afterAll(() => t?.close());

  it('never leaves a pay-as-you-go client holding a block, whichever of the two requests wins', async () => {
    const outcomes = new Map<string, number>();
    for (let i = 0; i < ROUNDS; i++) {
      const id = `race-${i}`;
      const created = await manager.post('/api/clients', { id, plan: 'prepaid' });
      expect(created.status).toBe(201);
      const [patch, block] = await Promise.all([
        manager.patch(`/api/clients/${id}`, { version: created.body.version, plan: 'payg' }),
        manager.post(`/api/clients/${id}/blocks`, { week: 2, hours: 20 }),
      ]);
      const [row] = await sql<{ plan: string; blocks: string }>('select plan, (select count(*) from blocks where client_id = clients.id) as blocks from clients where id = ?', [id]);
      const stored = { plan: row!.plan, blocks: Number(row!.blocks) };
      // Exactly one of them happened, and the other was refused saying why.
      if (patch.status === 200) {
        expect(block.status, JSON.stringify(block.body)).toBe(400);
        expect(stored).toEqual({ plan: 'payg', blocks: 0 });
        expect(patch.body.plan).toBe('payg');
      } else {
        expect(patch.status, JSON.stringify(patch.body)).toBe(409);
        expect(block.status, JSON.stringify(block.body)).toBe(201);
        expect(stored).toEqual({ plan: 'prepaid', blocks: 1 });
      }
      const key = `${patch.status}/${block.status}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(ROUNDS);
    await t.settle();
  });

  it('deletes a time entry once when ten DELETEs arrive together: one 204, nine refusals, one audit row', async () => {
    for (let round = 0; round < 5; round++) {
      const entry = await manager.post('/api/time-entries', { ticketId: 'A-1', staffId: 'ana', hours: 1, date: '2026-10-06' });
      expect(entry.status).toBe(201);
      const heard = recordEvents(t, 'time-entry.changed');
      const answers = await Promise.all(Array.from({ length: 10 }, () => manager.delete(`/api/time-entries/${entry.body.id}?version=${entry.body.version}`)));
      heard.stop();
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 204), JSON.stringify(statuses)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 204).every((s) => s === 404 || s === 409), JSON.stringify(answers.map((r) => r.body))).toBe(true);
      const audits = await sql<{ n: string }>(`select count(*) as n from audit_log where entity = 'time-entry' and entity_id = ? and action = 'delete'`, [String(entry.body.id)]);
      expect(Number(audits[0]!.n)).toBe(1);
      expect(heard.events.filter((e) => e.entryId === entry.body.id && e.action === 'deleted')).toHaveLength(1);
      expect(await sql('select id from time_entries where id = ?', [entry.body.id])).toEqual([]);
    }
    await t.settle();
  });

  it('answers a PATCH with what was committed: the quarter with its new data revision', async () => {
    for (const settings of [{ autoAdvance: false }, { currentWeek: 3 }, { startDate: '2026-09-28' }]) {
      const before = (await manager.get(`/api/quarters/${Q}`)).body;
      const r = await manager.patch(`/api/quarters/${Q}`, { version: before.version, ...settings });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const [row] = await sql<{ data_revision: number; version: number; current_week: number }>('select data_revision, version, current_week from quarters where id = ?', [Q]);
      expect({ dataRevision: r.body.dataRevision, version: r.body.version, currentWeek: r.body.currentWeek }).toEqual({
        dataRevision: Number(row!.data_revision),
        version: Number(row!.version),
        currentWeek: Number(row!.current_week),
      });
      expect(r.body.dataRevision).toBeGreaterThan(before.dataRevision);
      await t.settle();
    }
  });

  it('answers every PATCH with the record as it reads back, and two PATCHes of one version: one 200 that was stored, one 409', async () => {
    const entry = (await manager.post('/api/time-entries', { ticketId: 'A-1', staffId: 'ana', hours: 1, date: '2026-10-06' })).body;
    await t.createUser('client', { email: 'bolt@client.test', clientId: 'bolt' });
    const [user] = await sql<{ id: number }>('select id from users where email = ?', ['bolt@client.test']);
    const records: [string, (cur: { version: number }) => Record<string, unknown>, (cur: { version: number }) => Record<string, unknown>][] = [
      ['/api/clients/acme', (c) => ({ version: c.version, name: ' Acme One ' }), (c) => ({ version: c.version, name: 'Acme Two' })],
      ['/api/staff/ana', (c) => ({ version: c.version, skills: ['php', 'php', 'go'] }), (c) => ({ version: c.version, weeklyHours: 30 })],
      ['/api/tickets/A-2', (c) => ({ version: c.version, title: ' First ', estimateHours: 61 }), (c) => ({ version: c.version, title: 'Second' })],
      [`/api/time-entries/${entry.id}`, (c) => ({ version: c.version, hours: 2, note: 'one' }), (c) => ({ version: c.version, hours: 3 })],
      [`/api/users/${user!.id}`, (c) => ({ version: c.version, email: ' BOLT-1@client.test ' }), (c) => ({ version: c.version, email: 'bolt-2@client.test' })],
    ];
    for (const [path, one, other] of records) {
      const current = (await manager.get(path)).body;
      const [a, b] = await Promise.all([manager.patch(path, one(current)), manager.patch(path, other(current))]);
      const won = [a, b].filter((r) => r.status === 200);
      expect(won, `${path}: ${a.status} ${b.status} ${JSON.stringify([a.body, b.body])}`).toHaveLength(1);
      expect([a, b].find((r) => r.status !== 200)!.status, path).toBe(409);
      const stored = (await manager.get(path)).body;
      expect(won[0]!.body, path).toEqual(stored);
    }
    await t.settle();
  });
});
