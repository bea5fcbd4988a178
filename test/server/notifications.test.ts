/**
 * Notifications (issue 12) on both databases, against a real SMTP server in this process
 * (smtp-server) and a local HTTP listener for the chat webhook: an emergency reaches the managers
 * and the staff newly planned on it (ticket id in the subject) and the chat; a client's at-risk
 * mail says the dashboard's sentence with its own figures; the Monday digest; invitations carry
 * their link (the stored copy does not); each message once; switches per user and per client;
 * an SMTP server refusing ends in `failed`, visible to managers, and retried; a client user
 * hears only of its own client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoursSentences } from '../../shared/hours-sentences.ts';
import type { NotificationRecord } from '../../shared/api/notifications.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { startChatListener, startMailSink, type ChatListener, type MailSink } from '../utils/mail-sink.ts';
import { example, fieldsOf, QUARTER } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const MANAGER = 'admin@test.local';
const OTHER_CLIENTS = { harbor: ['Quill', 'Nimbus', 'Dyno', 'Q-1', 'Q-2', 'D-1'], quill: ['Harbor', 'Nimbus', 'Dyno', 'H-1', 'D-1'], nimbus: ['Harbor', 'Quill', 'Dyno', 'H-1', 'Q-1', 'Q-2', 'D-1'] };

describe.each(await dbTargets())('notifications on %s', (target) => {
  let t: TestApp, smtp: MailSink, chat: ChatListener, manager: ApiClient, harbor: ApiClient, quill: ApiClient, sam: ApiClient, nimbus: ApiClient;
  const settle = async () => {
    await t.settle();
    await t.app.services.notifier.idle();
  };
  const log = async (query = '') => (await manager.get(`/api/notifications${query}`)).body.items as NotificationRecord[];

  beforeAll(async () => {
    smtp = await startMailSink();
    chat = await startChatListener();
    t = await startTestApp(target, { SMTP_URL: smtp.url, SMTP_FROM: 'Hourglass <plans@hourglass.test>', CHAT_WEBHOOK_URL: chat.url, PUBLIC_URL: 'http://hourglass.test', NOTIFY_ATTEMPTS: '3', NOTIFY_RETRY_SECONDS: '0' });
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${QUARTER}/import`, example)).status).toBe(200);
    await t.settle();
    for (const c of ['harbor', 'quill', 'nimbus']) await t.createUser('client', { email: `${c}@client.test`, clientId: c });
    await t.createUser('staff', { email: 'sam@staff.test', staffId: 'sam' });
    [harbor, quill, nimbus, sam] = (await Promise.all(['harbor@client.test', 'quill@client.test', 'nimbus@client.test', 'sam@staff.test'].map((e) => t.as(e)))) as [ApiClient, ApiClient, ApiClient, ApiClient];
    await settle();
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await chat?.close();
  });

  it('an emergency: the managers by mail with the ticket in the subject, the chat naming no staff, then the staff planned on it', async () => {
    const ticket = (await manager.get('/api/tickets/H-1')).body;
    expect((await manager.patch('/api/tickets/H-1', { emergency: true, version: ticket.version })).status).toBe(200);
    await settle();
    const toManager = smtp.to(MANAGER).filter((m) => m.subject.includes('H-1'));
    expect(toManager).toHaveLength(1);
    expect(toManager[0]!.subject).toBe('Emergency H-1: Tidy old backups (Harbor Dental)');
    expect(toManager[0]!.from).toBe('plans@hourglass.test');
    expect(toManager[0]!.text).toContain(`by ${MANAGER}`);
    expect(toManager[0]!.text).toContain('http://hourglass.test/manager/tickets');

    const post = chat.posts.find((p) => p.text.includes('H-1'))!;
    expect(post.text).toBe(`:rotating_light: Emergency H-1 for Harbor Dental: Tidy old backups. Declared by ${MANAGER}.`);
    expect(post.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: post.text } }]);
    for (const name of ['Sam', 'sam@staff.test', 'harbor@client.test']) expect(post.text).not.toContain(name);

    // Sam is planned on it by the re-plan.
    const plan = (await sam.get('/api/plans/current')).body;
    const rows = plan.allocations.filter((a: { ticket: string }) => a.ticket === 'H-1');
    expect(rows.length).toBeGreaterThan(0);
    const toSam = smtp.to('sam@staff.test').filter((m) => m.subject === 'Emergency H-1: you are planned on it');
    expect(toSam).toHaveLength(1);
    for (const r of rows) expect(toSam[0]!.text).toContain(`week ${r.week}: ${r.hours} h`);
    // Nobody else heard of it.
    for (const c of ['harbor', 'quill', 'nimbus']) expect(smtp.to(`${c}@client.test`).filter((m) => m.subject.startsWith('Emergency'))).toEqual([]);

    // The same rule again sends nothing.
    const before = smtp.mails.length;
    const posts = chat.posts.length;
    await t.app.services.notifier.onEmergency({ quarterId: QUARTER, ticketId: 'H-1', clientId: 'harbor', at: new Date().toISOString() });
    await settle();
    expect(smtp.mails.length).toBe(before);
    expect(chat.posts.length).toBe(posts);
  });

  it('a re-plan that moves a staff member’s week tells them, at most once an hour', async () => {
    const moved = smtp.to('sam@staff.test').filter((m) => m.subject.startsWith('Your week changed'));
    expect(moved).toHaveLength(1);
    expect(moved[0]!.text).toMatch(/A re-plan changed your hours this week, week 11: [\d.]+ h now, [\d.]+ h before\./);
    const ticket = (await manager.get('/api/tickets/Q-2')).body;
    expect((await manager.patch('/api/tickets/Q-2', { estimateHours: 12, version: ticket.version })).status).toBe(200);
    await settle();
    expect(smtp.to('sam@staff.test').filter((m) => m.subject.startsWith('Your week changed'))).toHaveLength(1);
  });

  it('hours at risk: the client’s users get the dashboard’s sentence and exact hours; the chat too; a second run sends nothing', async () => {
    await t.app.services.notifier.runAtRisk();
    await settle();
    const own = (await nimbus.get('/api/plans/current')).body;
    const c = own.clients[0];
    expect(c.atRiskHours).toBe(16);
    const mails = smtp.to('nimbus@client.test').filter((m) => m.subject.includes('at risk'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Nimbus Travel: 16 h at risk of expiring');
    expect(mails[0]!.text).toContain(hoursSentences(c, own.quarter, true).expiry);
    expect(mails[0]!.text).toContain('At risk: 16 h of the 26 h of this quarter (we tell you above 8 h');
    expect(mails[0]!.text).toContain('http://hourglass.test/client');
    const post = chat.posts.find((p) => p.text.includes('Nimbus Travel'))!;
    expect(post.text).toContain('Nimbus Travel: 16 h at risk of expiring (alert above 8 h).');

    const before = smtp.mails.length;
    const posts = chat.posts.length;
    expect(await t.app.services.notifier.runAtRisk()).toEqual([]);
    await settle();
    expect(smtp.mails.length).toBe(before);
    expect(chat.posts.length).toBe(posts);
  });

  it('the Monday digest: each client user its own hours and this week, each staff member their week; once', async () => {
    const monday = new Date('2026-11-30T07:00:00Z');
    await t.app.services.notifier.runDigest(monday);
    await settle();
    for (const [client, api] of [['harbor', harbor], ['quill', quill], ['nimbus', nimbus]] as const) {
      const view = (await api.get('/api/plans/current')).body;
      const c = view.clients[0];
      const mails = smtp.to(`${client}@client.test`).filter((m) => m.subject.startsWith('Weekly digest'));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe(`Weekly digest for ${c.name}: week of 2026-11-30`);
      expect(mails[0]!.text).toContain(`- Used: ${c.usedHours} h\n- Planned: ${c.plannedHours} h\n- At risk of expiring: ${c.atRiskHours} h`);
      const week = view.allocations.filter((a: { week: number }) => a.week === view.quarter.currentWeek);
      if (week.length === 0) expect(mails[0]!.text).toContain('Nothing is planned this week.');
      for (const a of week) expect(mails[0]!.text).toContain(`- ${a.ticket} `);
    }
    const samPlan = (await sam.get('/api/plans/current')).body;
    const total = samPlan.allocations.filter((a: { week: number }) => a.week === samPlan.quarter.currentWeek).reduce((s: number, a: { hours: number }) => s + a.hours, 0);
    const week = smtp.to('sam@staff.test').filter((m) => m.subject === 'Your week: week 11');
    expect(week).toHaveLength(1);
    expect(week[0]!.text).toContain(`Your week, week 11: ${total} h planned of your 20 h.`);
    // Managers get no digest.
    expect(smtp.to(MANAGER).filter((m) => m.subject.startsWith('Weekly') || m.subject.startsWith('Your week'))).toEqual([]);
    const before = smtp.mails.length;
    expect(await t.app.services.notifier.runDigest(new Date('2026-12-03T07:00:00Z'))).toEqual([]);
    await settle();
    expect(smtp.mails.length).toBe(before);
  });

  it('a client user hears only of its own client', () => {
    for (const [client, others] of Object.entries(OTHER_CLIENTS)) {
      const mails = smtp.to(`${client}@client.test`);
      expect(mails.length).toBeGreaterThan(0);
      for (const m of mails) {
        expect(m.to).toEqual([`${client}@client.test`]);
        for (const other of others) {
          expect(m.subject).not.toContain(other);
          expect(m.text).not.toContain(other);
        }
        expect(m.text).not.toContain('Sam');
      }
    }
  });

  it('switches: a user’s own, a manager’s per client; 400 naming the field', async () => {
    expect((await harbor.get('/api/account/notifications')).body.rules.map((r: { rule: string }) => r.rule)).toEqual(['at-risk', 'digest', 'account']);
    expect((await sam.get('/api/account/notifications')).body.rules.map((r: { rule: string }) => r.rule)).toEqual(['digest', 'emergency', 'replan', 'account']);
    const off = await harbor.put('/api/account/notifications', { rules: { digest: false } });
    expect(off.status).toBe(200);
    expect(off.body.rules.find((r: { rule: string }) => r.rule === 'digest')).toMatchObject({ enabled: false, offForClient: false });
    expect((await manager.put('/api/clients/quill/notifications', { rules: { digest: false } })).body.rules).toContainEqual(expect.objectContaining({ rule: 'digest', enabled: false }));
    expect((await quill.get('/api/account/notifications')).body.rules.find((r: { rule: string }) => r.rule === 'digest')).toMatchObject({ enabled: true, offForClient: true });

    await t.app.services.notifier.runDigest(new Date('2026-12-07T07:00:00Z'));
    await settle();
    const digests = (who: string) => smtp.to(who).filter((m) => m.subject.startsWith('Weekly digest'));
    expect(digests('harbor@client.test')).toHaveLength(1);
    expect(digests('quill@client.test')).toHaveLength(1);
    expect(digests('nimbus@client.test')).toHaveLength(2);

    for (const [body, field] of [
      [{ rules: { replan: true } }, 'rules.replan'],
      [{ rules: { digest: 'no' } }, 'rules.digest'],
      [{ rules: { nightly: true } }, 'rules.nightly'],
      [{}, 'rules'],
    ] as const) {
      const r = await harbor.put('/api/account/notifications', body);
      expect(r.status).toBe(400);
      expect(fieldsOf(r)).toEqual([field]);
    }
    const bad = await manager.put('/api/clients/quill/notifications', { rules: { emergency: false } });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['rules.emergency']);
    expect((await manager.put('/api/clients/nobody/notifications', { rules: { digest: false } })).status).toBe(404);
    expect((await harbor.get('/api/clients/harbor/notifications')).status).toBe(403);
    expect((await harbor.get('/api/notifications')).status).toBe(403);
    expect((await t.anonymous().get('/api/account/notifications')).status).toBe(401);
  });

  it('an invitation mails its link; the stored copy withholds the token', async () => {
    const r = await manager.post('/api/users/invite', { email: 'new.client@client.test', role: 'client', client: 'harbor' });
    expect(r.status).toBe(201);
    await settle();
    const mails = smtp.to('new.client@client.test');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('You are invited to Hourglass: set your password');
    expect(mails[0]!.text).toContain(`http://hourglass.test${r.body.link.path}`);
    const token = new URL(r.body.link.path, 'http://x').searchParams.get('token')!;
    const [row] = await log('?rule=account');
    expect(row).toMatchObject({ status: 'sent', transport: 'smtp', to: 'new.client@client.test', attempts: 1 });
    expect(row!.body).not.toContain(token);
    expect(row!.body).toContain('token=withheld');
  });

  it('an SMTP server refusing: tried again, then failed, visible to managers; retried by a manager', async () => {
    smtp.reject = true;
    const ids = await t.app.services.notifier.runDigest(new Date('2026-12-14T07:00:00Z'));
    expect(ids.length).toBeGreaterThan(0);
    await settle();
    const failed = await log('?status=failed');
    expect(failed.map((f) => f.id).sort()).toEqual([...ids].sort());
    for (const f of failed) {
      expect(f.attempts).toBe(3);
      expect(f.lastError).toContain('550');
    }
    if (t.databaseUrl) {
      // On PostgreSQL each try was a pg-boss job: failed ones retried, the last completed.
      const jobs = await t.app.services.store.reader().execute<{ n: number }[]>(`select count(*)::int as n from pgboss.job where name = 'notify' and data->>'id' = ?`, [String(ids[0])]);
      expect(jobs[0]!.n).toBe(1);
    }
    smtp.reject = false;
    const again = await manager.post(`/api/notifications/${ids[0]}/retry`);
    expect(again.status).toBe(200);
    await settle();
    expect((await log()).find((n) => n.id === ids[0])).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect((await manager.post(`/api/notifications/${ids[0]}/retry`)).status).toBe(409);
    expect((await manager.post('/api/notifications/999999/retry')).status).toBe(404);
    expect(fieldsOf(await manager.get('/api/notifications?status=lost'))).toEqual(['status']);
  });

  it('a chat webhook answering 500: tried again, then failed; the managers’ mail still goes', async () => {
    chat.status = 500;
    const ticket = (await manager.get('/api/tickets/D-1')).body;
    expect((await manager.patch('/api/tickets/D-1', { emergency: true, version: ticket.version })).status).toBe(200);
    await settle();
    chat.status = 200;
    expect(smtp.to(MANAGER).filter((m) => m.subject === 'Emergency D-1: New booking form (Dyno Gyms)')).toHaveLength(1);
    const rows = await log('?rule=emergency&status=failed');
    expect(rows).toMatchObject([{ channel: 'chat', to: 'chat', clientId: 'dyno', attempts: 3, lastError: 'the chat webhook answered 500', transport: null }]);
    expect(chat.posts.filter((p) => p.text.includes('D-1'))).toEqual([]);
  });
});
