// @vitest-environment node
/**
 * Pins in headless Chromium against the real server (embedded PostgreSQL): a manager pins an
 * allocation from the utilisation heatmap, edits another ticket, and the new plan keeps the pin;
 * pins by keyboard from the ticket queue, with the server's error next to the field; unpins; the
 * staff member sees their pinned hours marked. Screenshots at 1440 and 820 px.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { plannerHoldsPins } from '../utils/engine-support.ts';
import type { TestApp } from '../utils/test-app.ts';
import { CHROMIUM, screenshot, signIn } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { E2E_QUARTER, e2eScenario } from './e2e-scenario.ts';

const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI installs Debian's chromium (.ci/run) for the browser tests`);

let t: TestApp;
let browser: Browser;
const manager = { email: 'pins-boss@e2e.test', password: 'password-123' };
const ana = { email: 'pins-ana@e2e.test', password: 'password-123' };

async function pageAs(who: { email: string; password: string }, width: number): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, t.url, who.email, who.password);
  return page;
}

/** The plan version the page shows. */
const shownVersion = async (page: Page) => Number(await page.getByTestId('live-indicator').getAttribute('data-version'));

browserSuite({
  seed: async (app) => {
    const imported = await (await app.manager()).post(`/api/quarters/${E2E_QUARTER}/import`, e2eScenario());
    if (imported.status !== 200) throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
    await app.createUser('manager', manager);
    await app.createUser('staff', { ...ana, staffId: 'ana' });
  },
  started: (s) => ({ t, browser } = s),
});

describe.skipIf(!hasBrowser)('pins in a browser', () => {
  it('pins an allocation from the heatmap; after another change the new plan keeps it', async () => {
    const page = await pageAs(manager, 1440);
    const cell = page.locator('[data-cell="ana-5"]');
    await cell.waitFor();
    // Ana's week 5: Quill's checkout, 20 h.
    await cell.getByRole('button').click();
    const dialog = page.getByRole('dialog', { name: 'Pin hours' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Staff member').inputValue()).toBe('ana');
    expect(await dialog.getByLabel('Week').inputValue()).toBe('5');
    expect(await dialog.getByLabel('Ticket').inputValue()).toBe('Q-1');
    expect(await dialog.getByLabel('Hours').inputValue()).toBe('20');
    await dialog.getByRole('button', { name: 'Pin hours', exact: true }).click();
    await dialog.getByTestId('action-effect').waitFor({ timeout: 40_000 });
    if (plannerHoldsPins()) expect(await dialog.getByTestId('pin-outcome').innerText()).toContain('The pin holds.');
    await screenshot(page, 'pins-dialog-1440');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    const row = page.locator('[data-testid="pins-table"] tbody tr[data-pin="ana-5-Q-1"]');
    await row.waitFor();
    if (plannerHoldsPins()) {
      await expect.poll(() => row.innerText(), { timeout: 20_000 }).toContain('Held');
      await expect.poll(() => cell.innerText(), { timeout: 20_000 }).toMatch(/20\s+pinned/i);
      expect(await cell.getByRole('button').getAttribute('aria-label')).toContain('20 h pinned');
    }
    await screenshot(page, 'pins-heatmap-1440');

    // Another change: Quill's other ticket gets a bigger estimate. The pin stays in the new plan.
    await page.getByRole('link', { name: 'Tickets' }).click();
    await page.getByTestId('ticket-queue').waitFor();
    const before = await shownVersion(page);
    await page.getByRole('button', { name: 'Edit Q-2' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Q-2' });
    await edit.getByLabel('Estimate (hours)').fill('16');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByTestId('action-effect').waitFor({ timeout: 40_000 });
    await edit.getByRole('button', { name: 'Close', exact: true }).click();
    expect(await shownVersion(page)).toBeGreaterThan(before);
    if (plannerHoldsPins()) {
      await expect.poll(() => page.getByTestId('pinned-Q-1').innerText(), { timeout: 20_000 }).toMatch(/20 h pinned/i);
      expect(await page.locator('[data-testid="pins-table"] tr[data-pin="ana-5-Q-1"]').innerText()).toContain('Held');
    }
    await page.getByRole('link', { name: 'Capacity' }).click();
    await page.locator('[data-cell="ana-5"]').waitFor();
    if (plannerHoldsPins()) expect(await page.locator('[data-cell="ana-5"]').innerText()).toMatch(/20\s+pinned/i);

    await page.setViewportSize({ width: 820, height: 1100 });
    await page.waitForTimeout(400);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    await screenshot(page, 'pins-capacity-820');
  }, 120_000);

  it('pins by keyboard from the ticket queue, shows the server’s error next to the field, and unpins', async () => {
    const page = await pageAs(manager, 820);
    await page.goto(`${t.url}/manager/tickets`);
    await page.getByTestId('ticket-queue').waitFor();
    const open = page.getByRole('button', { name: 'Pin hours on D-1' });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Pin hours' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await open.evaluate((el) => el === document.activeElement)).toBe(true);

    await page.keyboard.press('Enter');
    expect(await dialog.getByLabel('Ticket').inputValue()).toBe('D-1');
    await dialog.getByLabel('Staff member').selectOption('bo');
    await dialog.getByLabel('Week').selectOption('7');
    const hours = dialog.getByLabel('Hours');
    await hours.fill('0.3');
    await hours.press('Enter');
    await expect.poll(() => hours.getAttribute('aria-invalid')).toBe('true');
    const errId = (await hours.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
    expect(await page.locator(`[id="${errId}"]`).innerText()).toBe('must be in quarter hours (a multiple of 0.25)');
    await screenshot(page, 'pins-dialog-error-820');

    await hours.fill('2');
    await hours.press('Enter');
    await dialog.getByTestId('action-effect').waitFor({ timeout: 40_000 });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const row = page.locator('[data-testid="pins-table"] tr[data-pin="bo-7-D-1"]');
    await row.waitFor();
    if (plannerHoldsPins()) await expect.poll(() => row.innerText(), { timeout: 20_000 }).toContain('Held');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    await screenshot(page, 'pins-tickets-820');

    const unpin = row.getByRole('button', { name: 'Unpin D-1 for Bo Berg in week 7' });
    await unpin.focus();
    await page.keyboard.press('Enter');
    await row.waitFor({ state: 'detached', timeout: 20_000 });
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.waitForTimeout(300);
    await screenshot(page, 'pins-tickets-1440');
  }, 120_000);

  it('shows the staff member their own pinned hours, marked', async () => {
    const page = await pageAs(ana, 1440);
    await page.getByTestId('week-5').waitFor();
    if (plannerHoldsPins()) {
      await expect.poll(() => page.getByTestId('pinned-5-Q-1').innerText(), { timeout: 20_000 }).toBe('Pinned');
    }
    await screenshot(page, 'pins-staff-1440');
  }, 60_000);
});
