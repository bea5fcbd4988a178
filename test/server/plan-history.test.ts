/**
 * Plan history and the audit trail's filters (issue 11): each plan version names the audited
 * changes it is the first to include, with who made them; GET /api/audit filters by record,
 * person and date range, naming a bad field. Managers only. Both databases.
 */
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { expectFieldErrors, fieldsOf, QUARTER, withSeededApp } from '../utils/resource-setup.ts';
import { ADMIN, dbTargets, type TestApp } from '../utils/test-app.ts';

describe.each(await dbTargets())('plan history and audit filters on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, sam: ApiClient;
  withSeededApp(target, (s) => ({ t, manager, harbor, sam } = s));

  const patchTicket = async (id: string, change: Record<string, unknown>) => {
    const ticket = (await manager.get(`/api/tickets/${id}`)).body;
    const r = await manager.patch(`/api/tickets/${id}`, { version: ticket.version, ...change });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await t.settle();
    return { before: ticket, after: r.body };
  };

  it('each version names the changes since the version before it, and who made them', async () => {
    const { before } = await patchTicket('H-1', { estimateHours: 9 });
    await patchTicket('Q-2', { title: 'Renamed by the history test' });
    const r = await manager.get(`/api/plans/history?quarter=${QUARTER}`);
    expect(r.status).toBe(200);
    const { items, current, total } = r.body;
    expect(items[0].version).toBe(current);
    expect(total).toBe(items.length);
    // Versions newest first; each one's changes are after the version before it.
    for (let i = 0; i + 1 < items.length; i++) {
      expect(items[i].version).toBeGreaterThan(items[i + 1].version);
      expect(items[i].fromRevision).toBe(items[i + 1].dataRevision);
    }
    const all = items.flatMap((v: { changes: unknown[] }) => v.changes);
    const estimate = all.find((c: { entity: string; entityId: string; after: { estimateHours?: number } }) => c.entity === 'ticket' && c.entityId === 'H-1' && c.after?.estimateHours === 9);
    expect(estimate).toMatchObject({ action: 'update', user: { email: ADMIN.email }, before: { estimateHours: before.estimateHours } });
    // The rename moves no plan: it is a change of the current version's revision range, not a new version's.
    const newest = items[0];
    expect(newest.changes.some((c: { entityId: string }) => c.entityId === 'Q-2')).toBe(true);
    expect(newest.changeCount).toBeGreaterThanOrEqual(newest.changes.length);
    // Every change is counted once across versions.
    const ids = all.map((c: { id: number }) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The import that made the first plan is the oldest version's.
    expect(items.at(-1).changes.some((c: { action: string; entity: string }) => c.action === 'import' && c.entity === 'quarter')).toBe(true);
  });

  it('pages the versions by cursor without repeating one', async () => {
    const first = await manager.get(`/api/plans/history?quarter=${QUARTER}&limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBeTypeOf('string');
    const second = await manager.get(`/api/plans/history?quarter=${QUARTER}&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].version).toBeLessThan(first.body.items[0].version);
    expect(second.body.items[0].dataRevision).toBe(first.body.items[0].fromRevision);
    await expectFieldErrors((q) => manager.get(`/api/plans/history?${q}`), [
      ['limit=0', 'limit'],
      ['cursor=nonsense', 'cursor'],
      ['offset=2', 'offset'],
      ['version=3', 'version'],
    ]);
    expect((await manager.get('/api/plans/history?quarter=NOPE')).status).toBe(404);
  });

  it('history and the audit trail are for managers only', async () => {
    for (const who of [sam, harbor]) {
      expect((await who.get('/api/plans/history')).status).toBe(403);
      expect((await who.get('/api/audit?entity=ticket')).status).toBe(403);
    }
    expect((await t.anonymous().get('/api/plans/history')).status).toBe(401);
  });

  it('filters the audit trail by record, person and date range', async () => {
    await patchTicket('H-1', { estimateHours: 10 });
    const byRecord = (await manager.get('/api/audit?entity=ticket&id=H-1')).body;
    expect(byRecord.items.length).toBeGreaterThanOrEqual(2);
    expect(byRecord.items.every((e: { entity: string; entityId: string }) => e.entity === 'ticket' && e.entityId === 'H-1')).toBe(true);
    expect(byRecord.total).toBe(byRecord.items.length);

    const me = byRecord.items[0].user.id;
    const mine = (await manager.get(`/api/audit?user=${me}`)).body;
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((e: { user: { id: number } | null }) => e.user?.id === me)).toBe(true);
    expect((await manager.get(`/api/audit?user=999999`)).body).toMatchObject({ items: [], total: 0 });

    const newest = byRecord.items[0];
    const at = Date.parse(newest.at);
    const iso = (ms: number) => new Date(ms).toISOString();
    const around = (await manager.get(`/api/audit?entity=ticket&id=H-1&from=${iso(at)}&to=${iso(at)}`)).body;
    expect(around.items.map((e: { id: number }) => e.id)).toEqual([newest.id]);
    expect((await manager.get(`/api/audit?entity=ticket&id=H-1&from=${iso(at + 1)}`)).body.total).toBe(0);
    const day = newest.at.slice(0, 10);
    const wholeDay = (await manager.get(`/api/audit?entity=ticket&id=H-1&from=${day}&to=${day}`)).body;
    expect(wholeDay.total).toBe(byRecord.total);
    expect((await manager.get(`/api/audit?to=${iso(Date.parse(`${day}T00:00:00Z`) - 1)}&entity=ticket&id=H-1`)).body.total).toBe(0);
    // With an offset: the same instant.
    const offset = new Date(at + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect((await manager.get(`/api/audit?entity=ticket&id=H-1&from=${encodeURIComponent(offset)}&to=${encodeURIComponent(offset)}`)).body.total).toBe(1);
  });

  it('refuses a bad filter naming the field', async () => {
    await expectFieldErrors((q) => manager.get(`/api/audit?${q}`), [
      ['user=abc', 'user'],
      ['user=0', 'user'],
      ['from=yesterday', 'from'],
      ['to=2026-13-40', 'to'],
      ['from=2026-12-02&to=2026-12-01', 'to'],
      ['who=me', 'who'],
      ['entity=', 'entity'],
      ['before=5', 'before'],
    ]);
    const r = await manager.get('/api/audit?from=2026-12-02&to=2026-12-01');
    expect(fieldsOf(r)).toEqual(['to']);
  });
});
