/**
 * A client's view of its at-risk advice (DOMAIN.md: advice matches the cause) names nobody else:
 * which of its own tickets are left unplanned and why, capacity that went elsewhere told by kind.
 * Checked on the catch-up example over the API, and on generated quarters for every client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewPlan } from '../../server/modules/plans/plan-view.ts';
import { plan, type ClientPlan, type Plan, type ScenarioInput } from '../../solver/index.ts';
import { generateScenario } from '../fixtures/generate-scenario.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';
import { workedExample } from '../fixtures/examples.ts';

const example = workedExample;
const asClient = (p: Plan, clientId: string) => viewPlan(p, 1, { userId: 1, email: 'c@x', role: 'client', clientId, staffId: null });
const clientsOf = (view: ReturnType<typeof asClient>) => view.clients as ClientPlan[];

/** Every `client` field anywhere in the value. */
function clientFields(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) clientFields(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'client' && typeof v === 'string') out.push(v);
      else clientFields(v, out);
    }
  }
  return out;
}

/** Names every other client must not appear under (unique tokens, so one is never part of another). */
function named(s: ScenarioInput): ScenarioInput {
  return { ...s, clients: s.clients.map((c) => ({ ...c, name: `«${c.id} name»` })) };
}

function expectNamesNobodyElse(s: ScenarioInput, p: Plan): { unplannedWork: number } {
  let unplannedWork = 0;
  for (const c of s.clients) {
    const view = asClient(p, c.id);
    const text = JSON.stringify(view);
    for (const other of s.clients) if (other.id !== c.id) expect(text, `${c.id} sees ${other.id}`).not.toContain(other.name!);
    expect(new Set(clientFields(view)), `${c.id} sees another client's rows`).toEqual(new Set(clientFields(view).length ? [c.id] : []));
    const mine = p.clients.find((x) => x.id === c.id)!;
    const seen = clientsOf(view)[0]!;
    // Same cause, same tickets and hours: only the words change.
    expect(seen.advice.cause).toBe(mine.advice.cause);
    expect(seen.advice.tickets.map(({ ticket, hours, code }) => ({ ticket, hours, code }))).toEqual(mine.advice.tickets.map(({ ticket, hours, code }) => ({ ticket, hours, code })));
    if (seen.advice.cause === 'unplanned-work') unplannedWork++;
  }
  return { unplannedWork };
}

describe('a client’s view of its advice', () => {
  it('catch-up.json: Quill is told which ticket is left unplanned and why, by kind of work, not by whom', () => {
    const s = example('catch-up');
    const p = plan(s);
    const manager = p.clients.find((c) => c.id === 'quill')!.advice;
    expect(manager.cause).toBe('unplanned-work');
    expect(manager.tickets[0]!.reason).toContain('Harbor Dental');
    const quill = clientsOf(asClient(p, 'quill'))[0]!;
    expect(quill.advice).toEqual({
      cause: 'unplanned-work',
      tickets: [{ ticket: 'Q-2', hours: 4, code: 'capacity', reason: "no capacity left in weeks 11-12: it went to your higher-priority tickets (20 h), other clients' locked-in rates (8 h)" }],
    });
    expect(JSON.stringify(asClient(p, 'quill'))).not.toMatch(/Harbor|harbor|Nimbus|nimbus|Dyno|dyno/);
    // Nimbus presented nothing: it is asked to present work, with no tickets to talk about.
    expect(clientsOf(asClient(p, 'nimbus'))[0]!.advice).toEqual({ cause: 'present-work', tickets: [] });
    expectNamesNobodyElse(named(s), plan(named(s)));
  });

  it('generated quarters, every client: no other client named, same cause and tickets as the managers see', () => {
    let unplannedWork = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const s = named(generateScenario({ seed, staff: 4, clients: 6, tickets: 30, weeks: 8, currentWeek: seed % 3, load: 1.6, orphanSkill: seed % 2 === 0, scarceSkills: seed % 3 === 0 }));
      unplannedWork += expectNamesNobodyElse(s, plan(s)).unplannedWork;
    }
    // The cut is tested where it matters: some clients are told their presented work is left unplanned.
    expect(unplannedWork).toBeGreaterThan(0);
  });
});

describe.each(await dbTargets())('advice over the API on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post('/api/quarters/2026-Q4/import', example('catch-up'))).status).toBe(200);
    await t.settle();
    await t.createUser('client', { email: 'quill@advice.test', clientId: 'quill' });
  });
  afterAll(() => t?.close());

  it('the client’s plan carries its advice re-worded; the manager’s names who took the hours', async () => {
    const quill = await t.as('quill@advice.test');
    const own = (await quill.get('/api/plans/current')).body;
    expect(own.clients).toHaveLength(1);
    expect(own.clients[0].advice.cause).toBe('unplanned-work');
    expect(own.clients[0].advice.tickets.map((x: { ticket: string; hours: number }) => [x.ticket, x.hours])).toEqual([['Q-2', 4]]);
    expect(JSON.stringify(own)).not.toMatch(/Harbor|harbor|Nimbus|nimbus|Dyno|dyno|Sam Okafor|"sam"/);
    const all = (await manager.get('/api/plans/current')).body;
    expect(all.clients.find((c: { id: string }) => c.id === 'quill').advice.tickets[0].reason).toContain('Harbor Dental');
  });
});
