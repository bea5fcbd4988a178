/** A new company starts on an empty database: every list answers, nothing answers 500. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

describe.each(await dbTargets())('an empty database on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t.close());

  it('answers empty lists for staff, clients and tickets, and says no quarter exists yet', async () => {
    const m = await t.manager();
    for (const path of ['/api/staff', '/api/clients', '/api/tickets']) {
      const r = await m.get(path);
      expect(r.status, path).toBe(200);
    }
    const plan = await m.get('/api/plans/current');
    expect(plan.status).toBe(404);
    expect(plan.body.error.message).toMatch(/none has been created yet/);
  });
});
