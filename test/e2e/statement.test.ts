// @vitest-environment node
/**
 * A client downloads its statement in the browser (issue 12), on the demo quarter: Harbor signs
 * in, finds "Statement (PDF)" on its hours page, downloads it (a real download, the session
 * cookie and all), and the file's text (read back with pdf.js) holds the company's name, Harbor's
 * name and its figures exactly as GET /api/clients/harbor/statement answers them; the CSV
 * download reads back to the same figures; on Letter the pages are Letter. Screenshots
 * statement-client-1440/820. The manager's client page and quarter page carry the links too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Statement } from '../../shared/api/statements.ts';
import { formatMoney } from '../../shared/money.ts';
import { DEMO_USERS } from '../../server/seed.ts';
import { readStatementCsv, statementFigures } from '../../server/modules/statements/statement-csv.ts';
import { pdfPages } from '../utils/pdf-text.ts';
import type { TestApp } from '../utils/test-app.ts';
import { CHROMIUM, shoot, signIn } from './browser.ts';
import { browserSuite } from './browser-suite.ts';

const hasBrowser = existsSync(CHROMIUM);
const MANAGER = DEMO_USERS[0]!;
const HARBOR = DEMO_USERS.find((u) => u.email === 'harbor@demo.test')!;
let t: TestApp;
let browser: Browser;

browserSuite({ env: { DEMO: 'on' }, started: (s) => ({ t, browser } = s) });

const hours = (x: number) => `${Number(x.toFixed(2))} h`;

describe.skipIf(!hasBrowser)('a client downloads its statement in a browser', () => {
  it('downloads the PDF and the CSV from its hours page, and they hold its figures', async () => {
    const harborApi = await t.as(HARBOR.email, HARBOR.password);
    const s = Statement.parse((await harborApi.get('/api/clients/harbor/statement')).body);
    const money = (m: number) => formatMoney(m, s.company.currency, 'en');

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true, locale: 'en-GB' });
    const page = await ctx.newPage();
    await signIn(page, t.url, HARBOR.email, HARBOR.password);
    await page.getByTestId('statement-pdf').waitFor();
    await shoot(page, 'statement-client');

    const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Statement (PDF)' }).click()]);
    expect(pdfDownload.suggestedFilename()).toBe(`statement-${s.quarter.id}-harbor.pdf`);
    const pdf = await pdfPages(new Uint8Array(readFileSync((await pdfDownload.path())!)));
    for (const p of pdf) expect(p.size).toEqual([595, 842]);
    const text = pdf.map((p) => p.text).join(' ');
    const tt = s.totals;
    for (const want of [
      s.company.name,
      `Statement for ${s.client.name}`,
      `Quarter ${s.quarter.id}`,
      `Hours bought (blocks)   ${hours(tt.boughtHours)}   ${money(tt.soldMinor)}`,
      `Hours used   ${hours(tt.usedHours)}`,
      `Hours planned for the rest of the quarter   ${hours(tt.plannedHours)}`,
      `Forecast unused at quarter end   ${hours(tt.forecastUnusedHours)}`,
      `Rollover owed (credited to the next quarter)   ${hours(tt.rolloverHours)}   ${money(tt.rolloverCreditMinor)}`,
      `Total billed for the quarter   ${money(tt.billedMinor)}`,
    ]) {
      expect(text, want).toContain(want);
    }
    for (const b of s.blocks) expect(text).toContain(`${hours(b.hours)}   ${money(b.priceMinor ?? 0)}   ${money(b.amountMinor)}`);
    for (const other of ['Quill', 'Nimbus']) expect(text).not.toContain(other);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Statement (CSV)' }).click()]);
    expect(csvDownload.suggestedFilename()).toBe(`statement-${s.quarter.id}-harbor.csv`);
    const back = readStatementCsv(readFileSync((await csvDownload.path())!, 'utf8'));
    const { meta: _, ...want } = statementFigures(s);
    expect(back).toMatchObject(want);
    expect(back.meta).toMatchObject({ company: s.company.name, client: s.client.name });

    // Letter, picked beside the link.
    await page.getByTestId('statement-paper').selectOption('letter');
    const [letter] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Statement (PDF)' }).click()]);
    for (const p of await pdfPages(new Uint8Array(readFileSync((await letter.path())!)))) expect(p.size).toEqual([612, 792]);
    await ctx.close();
  });

  it("the manager finds the statement on a client's page and the billing CSV on the quarter page", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await ctx.newPage();
    await signIn(page, t.url, MANAGER.email, MANAGER.password);
    await page.goto(`${t.url}/manager/clients/quill`);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Statement (PDF)' }).click()]);
    expect(await pdfPages(new Uint8Array(readFileSync((await pdf.path())!))).then((ps) => ps.map((p) => p.text).join(' '))).toContain('Statement for Quill');
    await shoot(page, 'statement-manager-client');

    await page.goto(`${t.url}/manager/quarter`);
    const [billing] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Billing CSV' }).click()]);
    const csv = readFileSync((await billing.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('*ContactName,EmailAddress,*InvoiceNumber,*InvoiceDate,*DueDate,Description,*Quantity,*UnitAmount,AccountCode,TaxType,Currency');
    expect(csv).toContain('Prepaid block');
    await ctx.close();
  });
});
