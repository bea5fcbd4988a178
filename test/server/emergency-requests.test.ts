/**
 * A tracker's request for an emergency (issue 13), answered by a manager: the queue's rows carry
 * it (`emergencyRequested`), `?requested=true` lists the requests, the summary counts them; a
 * dismissal (PATCH emergencyRequested:false) leaves the ticket at its own priority, a confirmation
 * (PATCH emergency:true) declares it and answers the request; a stale version is refused (409).
 * A client sees its own request, pending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../utils/api-client.ts';
import { deliverGithub, openedIssue } from '../utils/github-webhook.ts';
import { example, QUARTER } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const SECRET = 'github-secret-requests-0123';

describe.each(await dbTargets())('emergency requests on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient;

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    const r = await manager.post(`/api/quarters/${QUARTER}/import`, example);
    if (r.status !== 200) throw new Error(`import failed: ${r.status} ${JSON.stringify(r.body)}`);
    await t.createUser('client', { email: 'harbor@client.test', clientId: 'harbor' });
    harbor = await t.as('harbor@client.test');
    const cfg = await manager.put('/api/intake/sources/github', { secret: SECRET, clients: { 'Codertocat/Hello-World': 'harbor' }, priorities: { bug: 2 }, defaultPriority: 3, emergencyLabel: 'Emergency' });
    if (cfg.status !== 200) throw new Error(`intake config failed: ${cfg.status} ${JSON.stringify(cfg.body)}`);
    await t.settle();
  });
  afterAll(() => t?.close());

  /** A new GitHub issue with the emergency label: its ticket's id, once re-planned. */
  async function requested(issue: number): Promise<string> {
    const r = await deliverGithub(t.url, SECRET, openedIssue(issue, ['bug', 'emergency'], `Outage ${issue}`));
    const body = (await r.json()) as { outcome: string; ticket: string };
    expect(r.status, JSON.stringify(body)).toBe(201);
    await t.settle();
    return body.ticket;
  }
  const requests = async (who = manager) => (await who.get('/api/plans/current/tickets?requested=true')).body.items.map((r: { id: string }) => r.id);
  const summaryCount = async () => (await manager.get('/api/plans/current/summary')).body.totals.emergencyRequests;

  it('lists and counts the requests; a client sees its own as pending', async () => {
    const id = await requested(9001);
    expect(await requests()).toEqual([id]);
    expect(await summaryCount()).toBe(1);
    const row = (await manager.get(`/api/plans/current/tickets?client=harbor&limit=1000`)).body.items.find((r: { id: string }) => r.id === id);
    expect(row).toMatchObject({ emergency: false, emergencyRequested: true, priority: 2 });
    const others = (await manager.get('/api/plans/current/tickets?requested=false&limit=1000')).body;
    expect(others.items.some((r: { id: string }) => r.id === id)).toBe(false);
    expect(others.items.every((r: { emergencyRequested: boolean }) => !r.emergencyRequested)).toBe(true);
    expect((await harbor.get(`/api/tickets/${id}`)).body).toMatchObject({ emergency: false, emergencyRequested: true });
    expect(await requests(harbor)).toEqual([id]);
    expect((await manager.get('/api/plans/current/tickets?requested=maybe')).status).toBe(400);
  });

  it('dismissed: no longer requested, not an emergency, at its own priority; a stale version is refused', async () => {
    const [id] = await requests();
    const before = (await manager.get(`/api/tickets/${id}`)).body;
    const dismissed = await manager.patch(`/api/tickets/${id}`, { version: before.version, emergencyRequested: false });
    expect(dismissed.status, JSON.stringify(dismissed.body)).toBe(200);
    expect(dismissed.body).toMatchObject({ emergency: false, emergencyRequested: false, priority: 2 });
    const stale = await manager.patch(`/api/tickets/${id}`, { version: before.version, emergency: true });
    expect(stale.status).toBe(409);
    expect((await manager.get(`/api/tickets/${id}`)).body.emergency).toBe(false);
    await t.settle();
    expect(await requests()).toEqual([]);
    expect(await summaryCount()).toBe(0);
  });

  it('confirmed: an emergency, its request answered; the queue puts it first', async () => {
    const id = await requested(9002);
    expect(await summaryCount()).toBe(1);
    const before = (await manager.get(`/api/tickets/${id}`)).body;
    const confirmed = await manager.patch(`/api/tickets/${id}`, { version: before.version, emergency: true });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ emergency: true, emergencyRequested: false });
    await t.settle();
    expect(await requests()).toEqual([]);
    expect(await summaryCount()).toBe(0);
    const first = (await manager.get('/api/plans/current/tickets?limit=5')).body.items.filter((r: { emergency: boolean }) => r.emergency).map((r: { id: string }) => r.id);
    expect(first).toContain(id);
  });
});
