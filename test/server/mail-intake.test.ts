/**
 * Mail to tickets (issue 13) on both databases: a real SMTP client (nodemailer) sends to the
 * app's own intake listener (INBOUND_SMTP_PORT=0, any free port). A known client contact's mail
 * becomes its client's ticket (subject → title, text → description, [P1] → priority, the current
 * week, the default estimate), audited and planned; a reply naming the ticket adds to its
 * description, but never to another client's; an unknown sender's mail is held, then assigned
 * (→ a ticket) or discarded by a manager; a mail over INBOUND_MAX_BYTES is refused (552), and so
 * is one to any other address (550); attachments leave only their names.
 */
import { createTransport, type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeldMailRecord } from '../../shared/api/mail-intake.ts';
import { loadConfig } from '../../server/config.ts';
import { priorityTag, replyText, subjectIds } from '../../server/mail-intake/intake.ts';
import { parseInbound, startMailListener } from '../../server/mail-intake/listener.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { example, QUARTER } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const SUPPORT = 'support@hourglass.test';
const MAX_BYTES = 64 * 1024;

describe.each(await dbTargets())('mail to tickets on %s', (target) => {
  let t: TestApp | undefined;
  let app: TestApp;
  let manager: ApiClient;
  let transport: Transporter;
  let port: number;

  const send = (mail: Parameters<Transporter['sendMail']>[0]) => transport.sendMail({ to: SUPPORT, ...mail });
  const ticketsOf = async (client: string) => (await manager.get(`/api/tickets?client=${client}`)).body.items as { id: string; title: string; description: string; priority: number; estimateHours: number; openedWeek: number; quarter: string; version: number }[];
  const held = async (status = 'held') => (await manager.get(`/api/intake/mail?status=${status}`)).body.items as HeldMailRecord[];
  const newTicket = async (client: string, before: string[]) => {
    const now = await ticketsOf(client);
    const added = now.filter((x) => !before.includes(x.id));
    expect(added).toHaveLength(1);
    return added[0]!;
  };
  const ids = async (client: string) => (await ticketsOf(client)).map((x) => x.id);
  const sql = <T>(query: string, params: unknown[] = []) => app.app.services.store.reader().execute<T[]>(query, params);

  beforeAll(async () => {
    app = t = await startTestApp(target, { INBOUND_SMTP_PORT: '0', SUPPORT_ADDRESS: SUPPORT, INBOUND_MAX_BYTES: String(MAX_BYTES) });
    manager = await app.manager();
    expect((await manager.post(`/api/quarters/${QUARTER}/import`, example)).status).toBe(200);
    await app.settle();
    await app.createUser('client', { email: 'harbor@client.test', clientId: 'harbor' });
    await app.createUser('client', { email: 'quill@client.test', clientId: 'quill' });
    // Nimbus has no user: its contact field names its liaison's address.
    const nimbus = (await manager.get('/api/clients/nimbus')).body;
    expect((await manager.patch('/api/clients/nimbus', { version: nimbus.version, contact: 'Nia Jones <Nia@Nimbus.test>, +44 20 7946 0000' })).status).toBe(200);
    await app.settle();
    port = app.app.mail!.port;
    transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    transport?.close();
    await t?.close();
  });

  it('a client user’s mail becomes its ticket: title, description, [P1] priority, current week, default estimate; audited and planned', async () => {
    const before = await ids('harbor');
    const planBefore = (await manager.get('/api/plans/current')).body;
    const info = await send({ from: 'Harriet <harbor@client.test>', subject: '[P1] Printer on fire', text: 'The printer in room 2 is on fire.\nPlease come.' });
    const ticket = await newTicket('harbor', before);
    expect(info.response).toContain(`Received as ${ticket.id}`);
    expect(ticket).toMatchObject({ title: 'Printer on fire', priority: 1, estimateHours: 2, openedWeek: 11, quarter: QUARTER });
    expect(ticket.description).toContain('The printer in room 2 is on fire.\nPlease come.');
    expect(ticket.description).toContain('by mail from harbor@client.test');

    // The same write as POST /api/tickets: audited as the client user, and re-planned.
    const audit = (await manager.get(`/api/audit?entity=ticket&id=${ticket.id}`)).body.items as { action: string; user: { email: string } | null }[];
    expect(audit).toEqual([expect.objectContaining({ action: 'create', user: expect.objectContaining({ email: 'harbor@client.test' }) })]);
    await app.settle();
    const plan = (await manager.get('/api/plans/current')).body;
    expect(plan.version).toBeGreaterThan(planBefore.version);
    const rows = [...plan.allocations, ...plan.unplanned] as { ticket: string }[];
    expect(rows.some((r) => r.ticket === ticket.id)).toBe(true);
    // The client sees it as its own.
    const harbor = await app.as('harbor@client.test');
    expect((await harbor.get(`/api/tickets/${ticket.id}`)).body.title).toBe('Printer on fire');
  });

  it('a contact named in the client record files for that client, at priority 3 without a tag', async () => {
    const before = await ids('nimbus');
    await send({ from: 'nia@nimbus.test', subject: 'Booking page slow', text: 'Since Monday.' });
    const ticket = await newTicket('nimbus', before);
    expect(ticket).toMatchObject({ title: 'Booking page slow', priority: 3, estimateHours: 2 });
  });

  it('a reply naming the ticket adds to its description; naming another client’s ticket files a new one of its own', async () => {
    const [first] = (await ticketsOf('harbor')).filter((x) => x.title === 'Printer on fire');
    const harborBefore = await ids('harbor');
    await send({ from: 'harbor@client.test', subject: `Re: [${first!.id}] Printer on fire`, text: 'It is out now.\n\nOn Tue, Dec 1, 2026 at 10:00 Support wrote:\n> old words' });
    expect(await ids('harbor')).toEqual(harborBefore);
    const after = (await manager.get(`/api/tickets/${first!.id}`)).body;
    expect(after.description.startsWith(first!.description)).toBe(true);
    expect(after.description).toContain('It is out now.');
    expect(after.description).not.toContain('old words');
    expect(after.version).toBeGreaterThan(first!.version);
    expect(after.priority).toBe(1);

    // Quill names Harbor's ticket: Harbor's stays as it was, Quill gets a ticket of its own.
    const quillBefore = await ids('quill');
    await send({ from: 'quill@client.test', subject: `Re: [${first!.id}] Printer on fire`, text: 'Ours too.' });
    expect((await manager.get(`/api/tickets/${first!.id}`)).body.description).toBe(after.description);
    const quills = await newTicket('quill', quillBefore);
    expect(quills.title).toBe(`Re: [${first!.id}] Printer on fire`);
  });

  it('an unknown sender is held; a manager assigns one (a ticket) and discards another', async () => {
    await send({ from: 'Stranger <stranger@elsewhere.test>', subject: '[P2] Who do I ask?', text: 'Hello.', attachments: [{ filename: 'screenshot.png', content: Buffer.from('PNGDATA-SECRET') }] });
    await send({ from: 'spam@elsewhere.test', subject: 'Cheap watches', text: 'Buy now.' });
    const list = await held();
    const ask = list.find((m) => m.subject === '[P2] Who do I ask?')!;
    const spam = list.find((m) => m.subject === 'Cheap watches')!;
    expect(ask).toMatchObject({ from: 'stranger@elsewhere.test', fromName: 'Stranger', text: 'Hello.', attachments: ['screenshot.png'], status: 'held', ticket: null, reason: expect.stringContaining('no known client contact') });

    // Only managers see or decide them.
    const harbor = await app.as('harbor@client.test');
    expect((await harbor.get('/api/intake/mail')).status).toBe(403);
    expect((await harbor.post(`/api/intake/mail/${ask.id}/discard`)).status).toBe(403);

    const before = await ids('dyno');
    const r = await manager.post(`/api/intake/mail/${ask.id}/assign`, { clientId: 'dyno' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ client: 'dyno', title: 'Who do I ask?', priority: 2, estimateHours: 2, openedWeek: 11 });
    expect(r.body.description).toContain('Hello.');
    expect(r.body.description).toContain('screenshot.png');
    expect((await newTicket('dyno', before)).id).toBe(r.body.id);
    expect((await manager.post(`/api/intake/mail/${ask.id}/assign`, { clientId: 'dyno' })).status).toBe(409);
    expect((await manager.post(`/api/intake/mail/${spam.id}/assign`, { clientId: 'nobody' })).status).toBe(404);
    expect((await manager.post(`/api/intake/mail/999999/discard`)).status).toBe(404);
    expect((await manager.post(`/api/intake/mail/${spam.id}/assign`, { clientId: 'dyno', priority: 7 })).status).toBe(400);

    const d = await manager.post(`/api/intake/mail/${spam.id}/discard`);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ id: spam.id, status: 'discarded', decidedAt: expect.any(String) });
    expect((await held()).map((m) => m.id)).not.toEqual(expect.arrayContaining([ask.id]));
    expect((await held()).map((m) => m.id)).not.toContain(spam.id);
    expect((await held('assigned')).find((m) => m.id === ask.id)?.ticket).toBe(r.body.id);
    expect((await held('discarded')).map((m) => m.id)).toContain(spam.id);
    await app.settle();
    const plan = (await manager.get('/api/plans/current')).body;
    expect([...plan.allocations, ...plan.unplanned].some((x: { ticket: string }) => x.ticket === r.body.id)).toBe(true);
  });

  it('keeps attachments’ names, never their content', async () => {
    const before = await ids('harbor');
    await send({
      from: 'harbor@client.test',
      subject: 'Logs attached',
      text: 'See the files.',
      attachments: [
        { filename: 'server.log', content: 'ATTACHED-CONTENT-1 error at line 3' },
        { filename: 'invoice.pdf', content: Buffer.from('%PDF ATTACHED-CONTENT-2') },
      ],
    });
    const ticket = await newTicket('harbor', before);
    expect(ticket.description).toContain('server.log, invoice.pdf');
    expect(ticket.description).not.toContain('ATTACHED-CONTENT');
    const found = await sql<{ n: string }>(
      `select (select count(*) from tickets where description like '%ATTACHED-CONTENT%' or description like '%PNGDATA-SECRET%') + (select count(*) from held_mails where text like '%SECRET%' or text like '%ATTACHED-CONTENT%' or attachment_names::text like '%SECRET%') + (select count(*) from audit_log where after::text like '%ATTACHED-CONTENT%' or after::text like '%PNGDATA%') as n`,
    );
    expect(Number(found[0]!.n)).toBe(0);
  });

  it('refuses a mail over INBOUND_MAX_BYTES (552) and one to another address (550), taking in nothing', async () => {
    const count = async () => Number((await sql<{ n: string }>('select (select count(*) from tickets) + (select count(*) from held_mails) as n'))[0]!.n);
    const before = await count();
    const big = await send({ from: 'harbor@client.test', subject: 'Huge', text: 'x'.repeat(MAX_BYTES + 1000) }).catch((err: { responseCode?: number }) => err);
    expect(big).toMatchObject({ responseCode: 552 });
    const other = await send({ from: 'harbor@client.test', to: 'sales@hourglass.test', subject: 'Hello', text: 'Hi' }).catch((err: { responseCode?: number }) => err);
    expect(other).toMatchObject({ responseCode: 550 });
    expect(await count()).toBe(before);
  });

  it('stops listening when the app closes', async () => {
    await t!.close();
    t = undefined;
    const closed = await createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 2000 })
      .sendMail({ from: 'harbor@client.test', to: SUPPORT, subject: 'Anyone?', text: 'x' })
      .catch((err: { code?: string }) => err);
    expect(closed).toMatchObject({ code: expect.stringMatching(/ECONNREFUSED|ESOCKET|ECONNECTION/) });
  });
});

describe('mail intake pieces', () => {
  it('is off by default, and needs SUPPORT_ADDRESS when on', async () => {
    expect(loadConfig({}).INBOUND_SMTP_PORT).toBeUndefined();
    expect(loadConfig({ INBOUND_SMTP_PORT: '' }).INBOUND_SMTP_PORT).toBeUndefined();
    expect(loadConfig({}).INBOUND_SMTP_HOST).toBe('127.0.0.1');
    expect(loadConfig({}).INBOUND_MAX_BYTES).toBe(1024 * 1024);
    const config = loadConfig({ INBOUND_SMTP_PORT: '0' });
    await expect(startMailListener({ config } as never)).rejects.toThrow(/SUPPORT_ADDRESS/);
  });

  it('reads the priority tag, the ids a subject names and a reply’s own words', () => {
    expect(priorityTag('[p2] Printer  jammed')).toEqual({ priority: 2, rest: 'Printer jammed' });
    expect(priorityTag('Printer [P5]')).toEqual({ priority: null, rest: 'Printer [P5]' });
    expect(subjectIds('Re: [T-104] [P1] Emergency H-1: down')).toEqual(['T-104', 'H-1']);
    expect(replyText('Fixed, thanks.\n\nOn Tue, 1 Dec 2026, Support wrote:\n> old\n> words')).toBe('Fixed, thanks.');
  });

  it('reads an HTML-only mail as text: no markup or script kept, nothing run', async () => {
    const raw = Buffer.from(
      ['From: Ana <Ana@Client.test>', 'To: support@hourglass.test', 'Subject: =?UTF-8?Q?Z=C3=BCrich_office?=', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '', '<p>The <b>VPN</b> is down.</p><script>globalThis.ran = true</script><img src="http://x.test/a.png" onerror="globalThis.ran = true">', ''].join('\r\n'),
    );
    const mail = await parseInbound(raw, 'envelope@client.test');
    expect(mail).toMatchObject({ from: 'Ana@Client.test', fromName: 'Ana', subject: 'Zürich office', attachments: [] });
    expect(mail.text).toContain('The VPN is down.');
    expect(mail.text).not.toMatch(/<|script|onerror/);
    expect((globalThis as { ran?: boolean }).ran).toBeUndefined();
  });
});
