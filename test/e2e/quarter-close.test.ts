// @vitest-environment node
/**
 * Closing a quarter in the browser (issue 11), on the demo quarter with one more ticket nobody
 * has the skill for (so Lumen's hours roll over as credit): the manager opens Quarter from the
 * navigation, reads the preview's figures (the exact hours of GET close-preview), closes by
 * keyboard through the confirm, sees the next quarter with its rollover credit, the Capacity and
 * Clients dashboards on the new quarter, and the closed quarter still readable. Screenshots
 * quarter-*-1440/820.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { QuarterClosePreview, QuarterRecord } from '../../shared/api/index.ts';
import { DEMO_USERS } from '../../server/seed.ts';
import { fmtHours } from '../../client/src/composables/format.ts';
import { nextQuarterId } from '../../client/src/composables/quarter-close.ts';
import type { ApiClient } from '../utils/api-client.ts';
import type { TestApp } from '../utils/test-app.ts';
import { CHROMIUM, shoot, signIn } from './browser.ts';
import { browserSuite } from './browser-suite.ts';

const hasBrowser = existsSync(CHROMIUM);
const MANAGER = DEMO_USERS[0]!;
let t: TestApp;
let api: ApiClient;
let browser: Browser;
let quarter: string;

browserSuite({
  env: { DEMO: 'on' },
  seed: async (app) => {
    await app.settle();
    api = await app.as(MANAGER.email, MANAGER.password);
    const open = ((await api.get('/api/quarters')).body as QuarterRecord[]).find((q) => !q.closed)!;
    quarter = open.id;
    // Work nobody has the skill for: Lumen presented it in time, so its hours roll over.
    const ticket = await api.post('/api/tickets', { client: 'lumen', title: 'Mainframe audit', priority: 1, estimateHours: 12, openedWeek: open.currentWeek, skill: 'mainframe' });
    if (ticket.status !== 201) throw new Error(`ticket: ${ticket.status} ${JSON.stringify(ticket.body)}`);
  },
  started: (s) => ({ t, browser } = s),
});

/** The preview's figures on the page: each client row's three cells and the totals' tiles. */
async function expectFigures(page: Page, p: QuarterClosePreview): Promise<void> {
  const tile = (id: string) => page.getByTestId(id).locator('.figure').innerText();
  const sum = (xs: number[]) => fmtHours(xs.reduce((a, b) => a + b, 0));
  await expect.poll(() => tile('total-rollover')).toBe(sum(p.clients.map((c) => c.rolloverHours)));
  expect(await tile('total-expiring')).toBe(sum(p.clients.map((c) => c.expiredHours)));
  expect(await tile('total-overage')).toBe(sum(p.overage.map((o) => o.hours)));
  for (const c of p.clients) {
    const row = page.getByTestId(`close-row-${c.client}`);
    expect([await row.locator('[data-col=rollover]').innerText(), await row.locator('[data-col=expiring]').innerText()], c.client).toEqual([fmtHours(c.rolloverHours), fmtHours(c.expiredHours)]);
  }
  for (const o of p.overage) expect(await page.getByTestId(`close-row-${o.client}`).locator('[data-col=overage]').innerText(), o.client).toBe(fmtHours(o.hours));
}

describe.skipIf(!hasBrowser)('closing a quarter in a browser', () => {
  it('previews, closes by keyboard, moves the dashboards to the next quarter and keeps the closed one readable', async () => {
    const next = nextQuarterId(quarter);
    const before = (await api.get(`/api/quarters/${quarter}/close-preview`)).body as QuarterClosePreview;
    expect(before.upToDate).toBe(true);
    expect(before.clients.find((c) => c.client === 'lumen')?.rolloverHours).toBe(12);

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, t.url, MANAGER.email, MANAGER.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Quarter' }).click();
    await page.waitForURL(/\/manager\/quarter/);
    await page.getByRole('heading', { name: `Quarter ${quarter}` }).waitFor();
    expect(await page.getByTestId('quarter-status').innerText()).toBe('Open');
    expect(await page.getByTestId('quarter-position').innerText()).toMatch(/the \d+(st|nd|rd|th) of 13/);
    await expectFigures(page, before);
    expect(await page.getByTestId('close-sentences').innerText()).toContain('roll over into the next quarter as credit: Lumen Studio 12 h');
    await shoot(page, 'quarter-preview');

    // The close, by keyboard: the button, the confirm naming what happens, Tab to its button.
    await page.getByTestId('close-quarter').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('confirm-lines').waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('next-quarter-id');
    expect(await dialog.getByTestId('next-quarter-id').inputValue()).toBe(next);
    const confirmText = await dialog.getByTestId('confirm-lines').innerText();
    expect(confirmText).toContain(`12 h roll over into ${next} as credit: Lumen Studio 12 h.`);
    expect(confirmText).toContain(`${before.carriedTickets!.length} open tickets move on to ${next}`);
    expect(confirmText).toContain(`${quarter} becomes read-only`);
    await shoot(page, 'quarter-confirm');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('confirm-close');
    await page.keyboard.press('Enter');

    const result = page.getByTestId('close-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toContain(`Quarter ${quarter} is closed`);
    expect(await result.innerText()).toContain(`12 h rolled over into ${next} as credit: Lumen Studio 12 h.`);
    await expect.poll(() => page.getByTestId('quarter-status').innerText()).toBe('Closed');
    await expect.poll(() => page.getByTestId('close-quarter').count()).toBe(0);
    await shoot(page, 'quarter-closed');

    // The next quarter, with the credit rolled in once it is planned.
    await page.getByTestId('open-next-quarter').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Quarter ${next}` }).waitFor();
    expect(await page.getByTestId('quarter-status').innerText()).toBe('Open');
    await expect.poll(() => page.getByTestId('rolled-in').textContent().catch(() => ''), { timeout: 60_000 }).toContain('12 h: Lumen Studio 12 h');
    await expect.poll(() => page.locator('header .quarter').innerText()).toContain(next);
    await shoot(page, 'quarter-next');

    // The dashboards are on the new quarter.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Capacity' }).click();
    await page.getByRole('heading', { name: 'Capacity', exact: true }).waitFor();
    await expect.poll(() => page.locator('.page-head p').first().innerText()).toContain(`${next}:`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await expect.poll(() => page.getByTestId('clients-quarter').innerText()).toBe(next);
    const lumen = page.getByTestId('clients-table').locator('tr', { hasText: 'Lumen Studio' });
    expect(await lumen.locator('td').nth(1).innerText()).toContain('+12');

    // The closed quarter still reads: what its close did, the same hours.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Quarter' }).click();
    await page.getByTestId('quarter-picker').selectOption(quarter);
    await page.getByRole('heading', { name: `Quarter ${quarter}` }).waitFor();
    expect(await page.getByTestId('quarter-status').innerText()).toBe('Closed');
    await page.getByRole('heading', { name: `What closing ${quarter} did` }).waitFor();
    const after = (await api.get(`/api/quarters/${quarter}/close-preview`)).body as QuarterClosePreview;
    expect(after.clients).toEqual(before.clients);
    await expectFigures(page, after);
    expect(await page.getByTestId('closed-into').innerText()).toBe(next);
    expect(await page.getByTestId('close-sentences').innerText()).toContain(`12 h rolled over into ${next} as credit: Lumen Studio 12 h.`);
    await shoot(page, 'quarter-closed-read');
    await ctx.close();
  }, 240_000);
});
