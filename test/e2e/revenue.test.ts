// @vitest-environment node
/**
 * Prices and revenue in the browser (issue 12), on the demo quarter (in EUR, every client priced)
 * with Nimbus's prices taken away: the Revenue page flags Nimbus as unpriced with a link to price
 * it; the manager follows it, types a price the currency cannot hold (the dialog says why, on the
 * field), then €87.50 block and €115 PAYG, saved as 8750 and 11500 minor units; Revenue, opened from
 * the navigation, shows GET /api/revenue's figures exactly (tiles, each client's cells, the totals),
 * sorts the table by keyboard, follows a price changed elsewhere live, and paints its charts. The Company section on Setup warns that a
 * currency change converts nothing, and saves the company's name. Screenshots revenue-{unpriced,price-dialog,page,company}-1440/820.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RevenueAnswer } from '../../shared/api/index.ts';
import { formatMoney } from '../../shared/money.ts';
import { DEMO_USERS } from '../../server/seed.ts';
import type { ApiClient } from '../utils/api-client.ts';
import type { TestApp } from '../utils/test-app.ts';
import { CHROMIUM, paintedPixels, shoot, signIn } from './browser.ts';
import { browserSuite } from './browser-suite.ts';

const hasBrowser = existsSync(CHROMIUM);
const MANAGER = DEMO_USERS[0]!;
const LOCALE = 'en-US';
let t: TestApp;
let api: ApiClient;
let browser: Browser;

browserSuite({
  env: { DEMO: 'on' },
  seed: async (app) => {
    await app.settle();
    api = await app.as(MANAGER.email, MANAGER.password);
    const nimbus = (await api.get('/api/clients/nimbus')).body;
    const r = await api.patch('/api/clients/nimbus', { version: nimbus.version, blockPriceMinor: null, paygRateMinor: null });
    if (r.status !== 200) throw new Error(`unprice nimbus: ${r.status} ${JSON.stringify(r.body)}`);
  },
  started: (s) => ({ t, browser } = s),
});

const COLUMNS = ['earned', 'prepaid', 'overage', 'payg', 'liability', 'atRisk', 'sold'] as const;
const money = (m: RevenueAnswer, x: number) => formatMoney(x, m.currency, LOCALE);

/** The page's figures are the answer's: tiles, every client's cells, the totals row. */
async function expectFigures(page: Page, m: RevenueAnswer): Promise<void> {
  const tile = (key: string) => page.getByTestId(`revenue-${key}`).locator('.figure').innerText();
  const t = m.totals;
  await expect.poll(() => tile('earned')).toBe(money(m, t.earnedMinor));
  const want = { prepaid: t.prepaidMinor, overage: t.overageMinor, payg: t.paygMinor, liability: t.rolloverLiabilityMinor, atRisk: t.atRiskMinor, sold: t.soldMinor };
  for (const [k, v] of Object.entries(want)) expect(await tile(k), k).toBe(money(m, v));
  for (const c of m.clients) {
    const cells = { earned: c.prepaidMinor + c.overageMinor + c.paygMinor, prepaid: c.prepaidMinor, overage: c.overageMinor, payg: c.paygMinor, liability: c.rolloverLiabilityMinor, atRisk: c.atRiskMinor, sold: c.soldMinor };
    for (const k of COLUMNS) {
      const text = await page.getByTestId(`cell-${c.id}-${k}`).innerText();
      expect(text.split('\n')[0]!.trim(), `${c.id} ${k}`).toBe(money(m, cells[k]));
    }
  }
  const totals = { ...want, earned: t.earnedMinor };
  for (const k of COLUMNS) expect(await page.getByTestId(`total-${k}`).innerText(), `total ${k}`).toBe(money(m, totals[k]));
}

describe.skipIf(!hasBrowser)('prices and revenue in a browser', () => {
  it('prices an unpriced client through the dialog and reads the quarter’s revenue exactly as the API answers it', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: LOCALE });
    const page = await ctx.newPage();
    await signIn(page, t.url, MANAGER.email, MANAGER.password);
    const nav = page.getByRole('navigation', { name: 'Main' });

    // Revenue, from the navigation: Nimbus is unpriced, its hours count 0.
    await nav.getByRole('link', { name: 'Revenue' }).click();
    await page.waitForURL(/\/manager\/revenue/);
    await page.getByRole('heading', { name: 'Revenue', exact: true }).waitFor();
    const before = (await api.get('/api/revenue')).body as RevenueAnswer;
    expect(before.currency).toBe('EUR');
    const nimbusBefore = before.clients.find((c) => c.id === 'nimbus')!;
    expect(nimbusBefore).toMatchObject({ unpriced: true, prepaidMinor: 0, soldMinor: 0 });
    await expect.poll(() => page.getByTestId('revenue-unpriced').innerText()).toContain('Nimbus Travel (block price) has no price');
    await expectFigures(page, before);
    await shoot(page, 'revenue-unpriced');

    // The link opens Nimbus's dialog on the Clients page; a price with three decimals is refused on its field.
    await page.getByTestId('price-nimbus').click();
    await page.waitForURL(/\/manager\/clients/);
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Edit Nimbus Travel' }).waitFor();
    const block = dialog.getByTestId('client-block-price');
    expect(await dialog.getByText('Block price per hour (EUR)').count()).toBe(1);
    expect(await block.inputValue()).toBe('');
    await block.fill('87.555');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Enter an amount per hour in EUR like 95.50, with at most 2 decimals, or leave it blank.').waitFor();
    expect(await block.getAttribute('aria-invalid')).toBe('true');
    await block.fill('87.50');
    await dialog.getByTestId('client-payg-rate').fill('115');
    await shoot(page, 'revenue-price-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await api.get('/api/clients/nimbus')).body).toMatchObject({ blockPriceMinor: 8_750, paygRateMinor: 11_500 });
    await expect.poll(() => page.getByTestId('client-prices-nimbus').innerText()).toBe('block €87.50 · PAYG €115.00');

    // Revenue again: the same plan version, Nimbus now counted at €87.50, every figure as the API answers it.
    await nav.getByRole('link', { name: 'Revenue' }).click();
    await page.getByTestId('revenue-tiles').waitFor();
    const after = (await api.get('/api/revenue')).body as RevenueAnswer;
    expect(after.planVersion).toBe(before.planVersion);
    const nimbus = after.clients.find((c) => c.id === 'nimbus')!;
    expect(nimbus.unpriced).toBe(false);
    expect(nimbus.prepaidMinor).toBe(Math.round(nimbus.prepaidHours * 8_750));
    expect(nimbus.soldMinor).toBe(nimbus.boughtHours * 8_750);
    expect(after.totals.earnedMinor - before.totals.earnedMinor).toBe(nimbus.prepaidMinor);
    await expectFigures(page, after);
    expect(await page.getByTestId('revenue-unpriced').count()).toBe(0);
    expect(await page.getByTestId('unpriced-badge').count()).toBe(0);

    // Sorting by keyboard: Client, then back.
    await page.getByTestId('sort-name').focus();
    await page.keyboard.press('Enter');
    const names = () => page.getByTestId('revenue-table').locator('tbody th[scope=row] a:first-child').allInnerTexts();
    const alphabetical = [...after.clients.map((c) => c.name)].sort((a, b) => a.localeCompare(b));
    await expect.poll(names).toEqual(alphabetical);
    expect(await page.locator('th[aria-sort=ascending]').innerText()).toContain('Client');
    await page.keyboard.press('Enter');
    await expect.poll(names).toEqual([...alphabetical].reverse());

    // Live: a price changed elsewhere moves the figures on the page (no new plan).
    const n = (await api.get('/api/clients/nimbus')).body;
    expect((await api.patch('/api/clients/nimbus', { version: n.version, blockPriceMinor: 9_000 })).status).toBe(200);
    await expect.poll(async () => ((await api.get('/api/revenue')).body as RevenueAnswer).clients.find((c) => c.id === 'nimbus')!.blockPriceMinor).toBe(9_000);
    const live = (await api.get('/api/revenue')).body as RevenueAnswer;
    expect(live.planVersion).toBe(before.planVersion);
    await expectFigures(page, live);

    // The charts paint: the weekly bars and the liability/at-risk bars.
    await page.getByTestId('revenue-chart').locator('canvas').waitFor();
    await expect.poll(async () => (await paintedPixels(page)).filter((n) => n > 500).length, { timeout: 10_000 }).toBe(await page.locator('canvas').count());
    expect(await page.locator('canvas').count()).toBe(after.totals.rolloverLiabilityMinor + after.totals.atRiskMinor > 0 ? 2 : 1);
    await shoot(page, 'revenue-page');

    // The company's currency on Setup: changing it warns that prices are not converted.
    await nav.getByRole('link', { name: 'Setup' }).click();
    const company = page.getByTestId('company-settings');
    await company.waitFor();
    expect(await company.getByTestId('company-currency').inputValue()).toBe('EUR');
    expect(await company.getByTestId('company-name').inputValue()).toBe('Northwind Support');
    await company.getByTestId('company-currency').fill('GBP');
    await company.getByTestId('currency-warning').waitFor();
    expect(await company.getByTestId('currency-warning').innerText()).toContain('does not convert prices');
    await shoot(page, 'revenue-company');
    await company.getByTestId('company-currency').fill('EUR');
    expect(await company.getByTestId('currency-warning').count()).toBe(0);
    await company.getByTestId('company-name').fill('Northwind Support Ltd');
    await company.getByTestId('save-company').click();
    await company.getByTestId('company-saved').waitFor();
    expect((await api.get('/api/settings')).body).toMatchObject({ name: 'Northwind Support Ltd', currency: 'EUR' });
    await ctx.close();
  }, 240_000);
});
