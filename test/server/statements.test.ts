/**
 * Client statements and the accounting export (issue 12).
 *
 * The dated quarter (test/utils/hours-setup.ts), priced, in EUR, for "Northwind Support", with two
 * tickets more: Bolt's B-2 (20 h, more than its balance holds: overage) and Acme's A-3 that needs
 * a skill nobody has (presented in time and not delivered: the company's shortfall rolls over).
 * Hours logged: Acme's A-1 3 h in week 1 (history, on top of the imported 10 h) and A-2 2.5 h in
 * week 2 (this week).
 *
 * GET /api/clients/:id/statement in JSON (exact figures, equal to the plan's and quarterMoney's),
 * PDF (parsed with pdf.js, its text holding the company, the client and the figures; A4 and
 * Letter page sizes) and CSV (read back to the same figures); who may read which; 400s naming
 * the field. At close each client's statement is stored (or, when it cannot be, nothing of the
 * close is) and then served, unchanged by later edits. GET /api/quarters/:id/billing.csv: a line per client and kind with exact amounts.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Statement } from '../../shared/api/statements.ts';
import { formatMoney } from '../../shared/money.ts';
import { quarterMoney } from '../../server/modules/money/quarter-money.ts';
import { readStatementCsv, statementFigures } from '../../server/modules/statements/statement-csv.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { Q, datedScenario } from '../utils/hours-setup.ts';
import { pdfPages } from '../utils/pdf-text.ts';
import { fieldsOf } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const NEXT = '2027-Q1';

function scenario() {
  const s = datedScenario();
  s.tickets.push(
    { id: 'B-2', client: 'bolt', title: 'Backups', priority: 3, estimateHours: 20, openedWeek: 0 },
    { id: 'A-3', client: 'acme', title: 'Mainframe link', priority: 2, estimateHours: 8, openedWeek: 0, skill: 'cobol' },
  );
  return s;
}

async function download(c: ApiClient, path: string): Promise<{ status: number; type: string; disposition: string; bytes: Uint8Array }> {
  const res = await fetch(c.baseUrl + path, { headers: { cookie: c.cookie } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', bytes: new Uint8Array(await res.arrayBuffer()) };
}

const eur = (minor: number) => formatMoney(minor, 'EUR', 'en');

describe.each(await dbTargets())('statements and billing on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient, acme: ApiClient, bolt: ApiClient, ana: ApiClient;

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, scenario())).status).toBe(200);
    await t.settle();
    const settings = (await manager.get('/api/settings')).body;
    expect((await manager.patch('/api/settings', { version: settings.version, name: 'Northwind Support', currency: 'EUR' })).status).toBe(200);
    for (const [id, blockPriceMinor, paygRateMinor, contact] of [
      ['acme', 9_500, 12_000, 'billing@acme.test'],
      ['bolt', 8_025, 11_010, 'Bolt accounts'],
      ['dyno', null, 15_000, null],
    ] as const) {
      const c = (await manager.get(`/api/clients/${id}`)).body;
      expect((await manager.patch(`/api/clients/${id}`, { version: c.version, blockPriceMinor, paygRateMinor, contact })).status).toBe(200);
    }
    expect((await manager.post('/api/time-entries', { ticket: 'A-1', staff: 'ana', hours: 3, week: 1 })).status).toBe(201);
    expect((await manager.post('/api/time-entries', { ticket: 'A-2', staff: 'ana', hours: 2.5, date: '2026-10-13' })).status).toBe(201);
    await t.settle();
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    await t.createUser('client', { email: 'bolt@client.test', clientId: 'bolt' });
    [ana, acme, bolt] = [await t.as('ana@staff.test'), await t.as('acme@client.test'), await t.as('bolt@client.test')];
  });
  afterAll(() => t?.close());

  const statementOf = async (c: ApiClient, id: string, query = '') => {
    const r = await c.get(`/api/clients/${id}/statement${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return Statement.parse(r.body);
  };
  const usedOf = (s: Statement) => s.weeks.map((w) => w.usedHours);
  const lines = (s: Statement, w: number) => s.weeks[w]!.tickets.map((x) => [x.ticket, x.usedHours, x.plannedHours]);

  it('JSON: blocks, hours per week with tickets, what the quarter leaves and the money, exactly', async () => {
    const s = await statementOf(acme, 'acme');
    expect(s.company).toEqual({ name: 'Northwind Support', currency: 'EUR' });
    expect(s.client).toEqual({ id: 'acme', name: 'Acme Ltd', plan: 'prepaid', contact: 'billing@acme.test' });
    expect(s.quarter).toEqual({ id: Q, weeks: 13, currentWeek: 2, startDate: '2026-09-28', endDate: '2026-12-27', closed: false, closedAt: null });
    expect(s.prices).toEqual({ blockPriceMinor: 9_500, paygRateMinor: 12_000, unpriced: false });
    expect(s.blocks).toEqual([{ week: 0, hours: 130, priceMinor: 9_500, amountMinor: 1_235_000 }]);
    // Used: the imported 10 h a week (no ticket), Acme's 3 h on A-1 in week 1, 2.5 h on A-2 this week.
    expect(usedOf(s)).toEqual([10, 13, 2.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(lines(s, 0)).toEqual([[null, 10, 0]]);
    expect(lines(s, 1)).toEqual([['A-1', 3, 0], [null, 10, 0]]);
    expect(s.weeks[2]!.tickets.find((x) => x.ticket === 'A-2')).toMatchObject({ title: 'New theme', usedHours: 2.5 });
    expect(s.weeks.every((w) => w.history === w.week < 2 && w.startDate !== null)).toBe(true);
    expect(s.totals).toEqual({
      boughtHours: 130,
      rolloverInHours: 0,
      usedHours: 25.5,
      plannedHours: 90.5,
      balanceHours: 107,
      forecastUnusedHours: 14,
      rolloverHours: 8,
      atRiskHours: 6,
      presentByWeek: 12,
      overageHours: 0,
      paygHours: 0,
      prepaidHours: 116,
      soldMinor: 1_235_000,
      prepaidMinor: 1_102_000,
      overageMinor: 0,
      paygMinor: 0,
      billedMinor: 1_235_000,
      rolloverCreditMinor: 76_000,
      atRiskMinor: 57_000,
    });
    // Each ticket line adds up to its week, every week to the quarter.
    for (const w of s.weeks) {
      expect(w.tickets.reduce((a, x) => a + x.usedHours, 0)).toBeCloseTo(w.usedHours, 9);
      expect(w.tickets.reduce((a, x) => a + x.plannedHours, 0)).toBeCloseTo(w.plannedHours, 9);
    }
    expect(s.weeks.reduce((a, w) => a + w.prepaidMinor, 0)).toBe(s.totals.prepaidMinor);

    // Bolt: more work than balance, overage at its PAYG rate; Dyno: PAYG hours, no block.
    const b = await statementOf(manager, 'bolt');
    expect(b.totals).toMatchObject({ boughtHours: 65, usedHours: 10, plannedHours: 70, overageHours: 15, soldMinor: 521_625, prepaidMinor: 521_625, overageMinor: 165_150, billedMinor: 686_775, rolloverHours: 0, atRiskHours: 0 });
    const d = await statementOf(manager, 'dyno');
    expect(d.blocks).toEqual([]);
    expect(d.totals).toMatchObject({ boughtHours: 0, plannedHours: 12, paygHours: 12, paygMinor: 180_000, billedMinor: 180_000, overageMinor: 0 });
    expect(d.prices).toEqual({ blockPriceMinor: null, paygRateMinor: 15_000, unpriced: false });
  });

  it('JSON: the same figures as the plan in force and quarterMoney of it', async () => {
    const plan = (await manager.get('/api/plans/current')).body;
    const prices = new Map(
      await Promise.all(
        ['acme', 'bolt', 'dyno'].map(async (id) => {
          const c = (await manager.get(`/api/clients/${id}`)).body;
          return [id, { blockPriceMinor: c.blockPriceMinor, paygRateMinor: c.paygRateMinor }] as const;
        }),
      ),
    );
    const money = quarterMoney(plan, prices, 'EUR');
    for (const id of ['acme', 'bolt', 'dyno']) {
      const s = await statementOf(manager, id);
      const c = plan.clients.find((x: { id: string }) => x.id === id);
      const m = money.clients.find((x) => x.id === id)!;
      expect(s.planVersion).toBe(plan.version);
      expect(s.totals).toMatchObject({
        boughtHours: c.boughtHours,
        balanceHours: c.balanceHours,
        forecastUnusedHours: c.forecastUnusedHours,
        rolloverHours: c.rolloverHours,
        atRiskHours: c.atRiskHours,
        overageHours: c.overageHours,
        soldMinor: m.soldMinor,
        prepaidMinor: m.prepaidMinor,
        overageMinor: m.overageMinor,
        paygMinor: m.paygMinor,
        rolloverCreditMinor: m.rolloverLiabilityMinor,
        atRiskMinor: m.atRiskMinor,
      });
      expect(s.weeks.map((w) => w.usedHours + w.plannedHours)).toEqual(c.delivered);
      expect(s.weeks.map((w) => [w.prepaidMinor, w.overageMinor, w.paygMinor])).toEqual(m.weeks.map((w) => [w.prepaidMinor, w.overageMinor, w.paygMinor]));
    }
    // The client's own dashboard figures agree: Used counts this week's logged hours.
    const own = (await acme.get('/api/plans/current')).body.clients[0];
    const s = await statementOf(acme, 'acme');
    expect([own.usedHours, own.plannedHours]).toEqual([s.totals.usedHours, s.totals.plannedHours]);
  });

  it('PDF: parses, on A4 by default and on Letter, with the company, the client and the figures', async () => {
    for (const [paper, size] of [
      ['', [595, 842]],
      ['&paper=a4', [595, 842]],
      ['&paper=letter', [612, 792]],
    ] as const) {
      const r = await download(acme, `/api/clients/acme/statement?format=pdf${paper}`);
      expect(r.status).toBe(200);
      expect(r.type).toBe('application/pdf');
      expect(r.disposition).toBe(`attachment; filename=statement-${Q}-acme.pdf`);
      expect(new TextDecoder().decode(r.bytes.slice(0, 5))).toBe('%PDF-');
      const pages = await pdfPages(r.bytes);
      expect(pages.length).toBeGreaterThan(0);
      for (const p of pages) expect(p.size).toEqual(size);
      const text = pages.map((p) => p.text).join(' ');
      for (const want of [
        'Northwind Support',
        'Statement for Acme Ltd',
        'Quarter 2026-Q4, 28 Sep 2026 to 27 Dec 2026',
        `Hours bought (blocks)   130 h   ${eur(1_235_000)}`,
        'Hours used   25.5 h',
        'Hours planned for the rest of the quarter   90.5 h',
        'Forecast unused at quarter end   14 h',
        `Rollover owed (credited to the next quarter)   8 h   ${eur(76_000)}`,
        `At risk of expiring (present work by the week of 21 Dec)   6 h   ${eur(57_000)}`,
        `Total billed for the quarter   ${eur(1_235_000)}`,
        `week of 28 Sep   130 h   ${eur(9_500)}   ${eur(1_235_000)}`,
        'A-1 Upgrade PHP: 3 h used',
        'A-2 New theme: 2.5 h used',
      ]) {
        expect(text, want).toContain(want);
      }
      expect(text).not.toMatch(/Bolt|Dyno/);
    }
    const bolt = (await pdfPages((await download(manager, '/api/clients/bolt/statement?format=pdf&paper=letter')).bytes)).map((p) => p.text).join(' ');
    expect(bolt).toContain('Statement for Bolt Co');
    expect(bolt).toContain(`Overage billed at ${eur(11_010)} an hour   15 h   ${eur(165_150)}`);
    expect(bolt).toContain(`Total billed for the quarter   ${eur(686_775)}`);
  });

  it('CSV: written with the CSV library and read back to the same figures', async () => {
    const s = await statementOf(acme, 'acme');
    const r = await acme.get('/api/clients/acme/statement?format=csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename=statement-${Q}-acme.csv`);
    const back = readStatementCsv(r.body);
    const { meta: _, ...want } = statementFigures(s);
    expect(back).toMatchObject(want);
    expect(back.meta).toMatchObject({ company: 'Northwind Support', client: 'Acme Ltd', clientId: 'acme', quarter: Q, currency: 'EUR', planVersion: String(s.planVersion) });
    expect(back.totals).toMatchObject({ soldMinor: 1_235_000, rolloverHours: 8, atRiskHours: 6, presentByWeek: 12, rolloverCreditMinor: 76_000 });
    // Plain CSV for a spreadsheet: a header and the same number of cells on every row.
    const rows = parseCsv(r.body) as string[][];
    expect(rows[0]).toEqual(['section', 'key', 'week', 'ticket', 'description', 'hours', 'unitPrice', 'amount', 'currency']);
    expect(new Set(rows.map((x) => x.length))).toEqual(new Set([9]));
    expect(rows).toContainEqual(['block', '', '0', '', 'Block of 130 h', '130', '95.00', '12350.00', 'EUR']);
    expect(rows).toContainEqual(['used', '', '1', 'A-1', 'Upgrade PHP', '3', '', '', '']);
    expect(r.body).not.toMatch(/bolt|dyno/i);
  });

  it('a client user gets its own statement only; staff 403; signed out 401; unknown client 404', async () => {
    for (const format of ['json', 'pdf', 'csv']) {
      expect((await acme.get(`/api/clients/bolt/statement?format=${format}`)).status).toBe(404);
      expect((await acme.get(`/api/clients/nobody/statement?format=${format}`)).status).toBe(404);
      expect((await bolt.get(`/api/clients/acme/statement?format=${format}`)).status).toBe(404);
      expect((await ana.get(`/api/clients/acme/statement?format=${format}`)).status).toBe(403);
      expect((await t.anonymous().get(`/api/clients/acme/statement?format=${format}`)).status).toBe(401);
    }
    // The answer to another client's id reads, word for word, as one for an id that does not exist.
    const other = (await acme.get('/api/clients/bolt/statement?format=pdf')).body;
    const ghost = (await acme.get('/api/clients/nobody/statement?format=pdf')).body;
    expect(JSON.stringify(other).replace('bolt', 'nobody')).toBe(JSON.stringify(ghost));
    expect((await bolt.get('/api/clients/bolt/statement')).status).toBe(200);
    expect((await manager.get('/api/clients/nobody/statement')).status).toBe(404);
    expect((await manager.get('/api/clients/acme/statement?quarter=1999-Q1')).status).toBe(404);
  });

  it('400 naming format, paper, quarter or an unknown field', async () => {
    for (const [query, field] of [
      ['format=doc', 'format'],
      ['format=PDF', 'format'],
      ['format=pdf&paper=a5', 'paper'],
      ['paper=', 'paper'],
      ['quarter=', 'quarter'],
      [`quarter=${'x'.repeat(201)}`, 'quarter'],
      ['size=a4', 'size'],
    ] as const) {
      const r = await acme.get(`/api/clients/acme/statement?${query}`);
      expect(r.status, query).toBe(400);
      expect(fieldsOf(r), query).toEqual([field]);
    }
  });

  it('billing.csv: one line per client and kind in the Xero layout, exact amounts; managers only', async () => {
    expect((await acme.get(`/api/quarters/${Q}/billing.csv`)).status).toBe(403);
    expect((await ana.get(`/api/quarters/${Q}/billing.csv`)).status).toBe(403);
    expect((await t.anonymous().get(`/api/quarters/${Q}/billing.csv`)).status).toBe(401);
    expect((await manager.get('/api/quarters/1999-Q1/billing.csv')).status).toBe(404);
    const bad = await manager.get(`/api/quarters/${Q}/billing.csv?dates=iso`);
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['dates']);

    const r = await manager.get(`/api/quarters/${Q}/billing.csv`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename=billing-${Q}.csv`);
    const [header, ...rows] = parseCsv(r.body) as string[][];
    expect(header).toEqual(['*ContactName', 'EmailAddress', '*InvoiceNumber', '*InvoiceDate', '*DueDate', 'Description', '*Quantity', '*UnitAmount', 'AccountCode', 'TaxType', 'Currency']);
    const line = (row: string[]) => [row[0], row[2], row[6], row[7], row[10]];
    expect(rows.map(line)).toEqual([
      ['Acme Ltd', `${Q}-acme`, '130', '95.00', 'EUR'],
      ['Acme Ltd', `${Q}-acme`, '8', '0.00', 'EUR'],
      ['Bolt Co', `${Q}-bolt`, '65', '80.25', 'EUR'],
      ['Bolt Co', `${Q}-bolt`, '15', '110.10', 'EUR'],
      ['Dyno Gyms', `${Q}-dyno`, '12', '150.00', 'EUR'],
    ]);
    expect(rows.map((x) => x[5]!.split(',')[0])).toEqual(['Prepaid block', 'Rollover credit: 8 h owed', 'Prepaid block', 'Overage hours beyond the prepaid balance', 'Pay-as-you-go hours']);
    // The quarter's last day, due 30 days later; the email only where the contact is one.
    expect(rows.map((x) => [x[1], x[3], x[4]])).toEqual([
      ['billing@acme.test', '27/12/2026', '26/01/2027'],
      ['billing@acme.test', '27/12/2026', '26/01/2027'],
      ['', '27/12/2026', '26/01/2027'],
      ['', '27/12/2026', '26/01/2027'],
      ['', '27/12/2026', '26/01/2027'],
    ]);
    // Quantity × unit amount is each statement's amount, to the cent; the invoices bill what the statements bill.
    const cents = (row: string[]) => Math.round(Number(row[6]) * Math.round(Number(row[7]) * 100));
    expect(rows.map(cents)).toEqual([1_235_000, 0, 521_625, 165_150, 180_000]);
    const billed = await Promise.all(['acme', 'bolt', 'dyno'].map(async (id) => (await statementOf(manager, id)).totals.billedMinor));
    expect(billed).toEqual([1_235_000, 686_775, 180_000]);
    expect((parseCsv((await manager.get(`/api/quarters/${Q}/billing.csv?dates=mdy`)).body) as string[][])[1]!.slice(3, 5)).toEqual(['12/27/2026', '01/26/2027']);
  });

  it('at close each statement is stored in the close and served from then on, unchanged by later edits', async () => {
    await t.settle();
    const before = await statementOf(manager, 'acme');
    const billingBefore = (await manager.get(`/api/quarters/${Q}/billing.csv`)).body;
    const db = t.app.services.store.reader();

    // Nothing half-saved: a close whose statements cannot be stored (a row in the way) stores
    // none, credits nothing and leaves the quarter open.
    await db.execute("insert into statements (quarter_id, client_id, plan_version, body) values (?, 'bolt', 0, '{}')", [Q]);
    const failed = await manager.post(`/api/quarters/${Q}/close`, { nextQuarter: { id: NEXT } });
    expect(failed.status).toBeGreaterThanOrEqual(400);
    expect((await db.execute<{ n: string }[]>('select count(*) as n from statements'))[0]!.n).toBe('1');
    expect((await db.execute<{ n: string }[]>('select count(*) as n from rollover_credits'))[0]!.n).toBe('0');
    expect((await manager.get(`/api/quarters/${Q}`)).body).toMatchObject({ closed: false });
    await db.execute('delete from statements where quarter_id = ?', [Q]);

    const closed = await manager.post(`/api/quarters/${Q}/close`, { nextQuarter: { id: NEXT } });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const rows = await db.execute<{ client_id: string; plan_version: number }[]>('select client_id, plan_version from statements where quarter_id = ? order by client_id', [Q]);
    expect(rows.map((r) => [r.client_id, r.plan_version])).toEqual(['acme', 'bolt', 'dyno'].map((id) => [id, before.planVersion]));

    const kept = await statementOf(acme, 'acme', `?quarter=${Q}`);
    expect(kept.quarter).toMatchObject({ id: Q, closed: true, closedAt: expect.any(String) });
    const { quarter: _q, generatedAt: _g, ...same } = before;
    expect(kept).toMatchObject(same);

    // Later: the company renamed, Acme renamed and repriced, an hour logged in the next quarter.
    const settings = (await manager.get('/api/settings')).body;
    expect((await manager.patch('/api/settings', { version: settings.version, name: 'Southwind Ltd' })).status).toBe(200);
    const c = (await manager.get('/api/clients/acme')).body;
    expect((await manager.patch('/api/clients/acme', { version: c.version, name: 'Acme Group', blockPriceMinor: 1, paygRateMinor: 2 })).status).toBe(200);
    await t.settle();
    expect(await statementOf(acme, 'acme', `?quarter=${Q}`)).toEqual(kept);
    const pdf = (await pdfPages((await download(acme, `/api/clients/acme/statement?quarter=${Q}&format=pdf`)).bytes)).map((p) => p.text).join(' ');
    expect(pdf).toContain('Northwind Support');
    expect(pdf).toContain('Statement for Acme Ltd');
    expect(pdf).toContain(`Closed on ${new Date(kept.quarter.closedAt!).getUTCDate()}`);
    expect(pdf).toContain(`Total billed for the quarter   ${eur(1_235_000)}`);
    expect(readStatementCsv((await acme.get(`/api/clients/acme/statement?quarter=${Q}&format=csv`)).body).totals).toEqual(statementFigures(kept).totals);
    // The export of the closed quarter bills what its statements say.
    expect((await manager.get(`/api/quarters/${Q}/billing.csv`)).body).toBe(billingBefore);

    // The next quarter's statement is live: new name, new prices, the 8 h rolled in.
    const next = await statementOf(acme, 'acme');
    expect(next.quarter).toMatchObject({ id: NEXT, closed: false });
    expect(next.client.name).toBe('Acme Group');
    expect(next.company.name).toBe('Southwind Ltd');
    expect(next.totals.rolloverInHours).toBe(8);

    // The stored statements are history: the database refuses to change them.
    await expect(db.execute("update statements set plan_version = 0 where quarter_id = ?", [Q])).rejects.toThrow(/closed/);
    await expect(db.execute('delete from statements where quarter_id = ?', [Q])).rejects.toThrow(/closed/);
  });
});
