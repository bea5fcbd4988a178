/**
 * Notifications without SMTP_URL (one machine, no mail server): each mail is written to the log
 * and kept in the notifications table as sent by `log`; and the at-risk threshold in exact hours.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientPlan } from '../../solver/index.ts';
import { atRiskDue, atRiskThreshold } from '../../server/notifications/compose.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { example, QUARTER } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

describe('the at-risk threshold', () => {
  const client = (atRiskHours: number, boughtHours: number, presentByWeek: number | null, rolloverInHours = 0) =>
    ({ plan: 'prepaid', atRiskHours, boughtHours, rolloverInHours, presentByWeek }) as ClientPlan;

  it('is the larger of 8 h and 10 % of the quarter’s hours (bought and rolled in), in quarter hours', () => {
    expect(atRiskThreshold(client(0, 26, null))).toBe(8);
    expect(atRiskThreshold(client(0, 80, null))).toBe(8);
    expect(atRiskThreshold(client(0, 156, null))).toBe(15.75);
    expect(atRiskThreshold(client(0, 150, null, 30))).toBe(18);
  });

  it('alerts above it, or with the present-by week within 2 weeks', () => {
    expect(atRiskDue(client(8, 40, 9), 0)).toBe(false);
    expect(atRiskDue(client(8.25, 40, 9), 0)).toBe(true);
    expect(atRiskDue(client(18, 150, null, 30), 0)).toBe(false);
    expect(atRiskDue(client(18.25, 150, null, 30), 0)).toBe(true);
    expect(atRiskDue(client(2, 40, 5), 3)).toBe(true);
    expect(atRiskDue(client(2, 40, 6), 3)).toBe(false);
    expect(atRiskDue(client(0, 40, 3), 3)).toBe(false);
    expect(atRiskDue({ ...client(50, 0, 3), plan: 'payg' }, 3)).toBe(false);
  });
});

describe.each(await dbTargets())('notifications without SMTP_URL on %s', (target) => {
  let t: TestApp, manager: ApiClient;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    t = await startTestApp(target, { LOG_LEVEL: 'info' }, undefined, { logger: pino({ level: 'info' }, out) });
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${QUARTER}/import`, example)).status).toBe(200);
    await t.settle();
    await t.createUser('client', { email: 'nimbus@client.test', clientId: 'nimbus' });
  });
  afterAll(() => t?.close());

  it('a mail goes to the log and to the table, as sent', async () => {
    const ids = await t.app.services.notifier.runAtRisk();
    await t.app.services.notifier.idle();
    expect(ids).toHaveLength(1);
    const [row] = (await manager.get('/api/notifications')).body.items;
    expect(row).toMatchObject({ id: ids[0], rule: 'at-risk', channel: 'email', to: 'nimbus@client.test', clientId: 'nimbus', status: 'sent', transport: 'log', attempts: 1, subject: 'Nimbus Travel: 16 h at risk of expiring' });
    const line = lines.find((l) => l.subject === row.subject)!;
    expect(line).toMatchObject({ to: 'nimbus@client.test', msg: 'mail (no SMTP_URL: written here and to the sent table)' });
    expect(line.text).toBe(row.body);
    // And in the `sent` table (a view of the messages that went out).
    const sent = await t.app.services.store.reader().execute<{ address: string; subject: string; transport: string }[]>('select address, subject, transport from sent');
    expect(sent).toEqual([{ address: 'nimbus@client.test', subject: row.subject, transport: 'log' }]);
    // No CHAT_WEBHOOK_URL: no chat message is queued.
    expect((await manager.get('/api/notifications')).body.items.filter((n: { channel: string }) => n.channel === 'chat')).toEqual([]);
    expect(await t.app.services.notifier.runAtRisk()).toEqual([]);
  });

  it.runIf(target === 'pglite')('an invitation mail still waiting when the server stopped is failed at start: its link was only in memory', async () => {
    const em = t.app.services.store.reader();
    const [user] = await em.execute<{ id: number }[]>(`select id from users where email = 'nimbus@client.test'`);
    await em.execute(`insert into notifications (rule, channel, recipient, user_id, address, client_id, period, subject, body) values ('account', 'email', ?, ?, 'nimbus@client.test', 'nimbus', 'reset/x', 'Set a new Hourglass password', 'withheld')`, [String(user!.id), user!.id]);
    await t.close({ keepData: true });
    t = await startTestApp(target, {}, { dataDir: t.dataDir });
    await t.app.services.notifier.idle();
    const rows = (await (await t.manager()).get('/api/notifications?rule=account')).body.items;
    expect(rows).toMatchObject([{ status: 'failed', attempts: 1, lastError: expect.stringContaining('make a new link') }]);
  });
});
