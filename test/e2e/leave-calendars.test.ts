// @vitest-environment node
/**
 * Holidays and absences (issue 13) in headless Chromium against the real server, at 820 px: a
 * manager uploads a holiday .ics file on /manager/calendar using the keyboard, previews it, adds
 * it, and sees the hours it takes off; Capacity's heatmap then shows the holiday as leave, named
 * in the cell. No horizontal scroll at 820 px (screenshots at 1440 and 820).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../utils/test-app.ts';
import { CHROMIUM, shoot, signIn } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { E2E_QUARTER, e2eScenario } from './e2e-scenario.ts';

const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI installs Debian's chromium (.ci/run) for the browser tests`);

let t: TestApp;
let browser: Browser;
const manager = { email: 'holidays-boss@e2e.test', password: 'password-123' };
// Wednesday 11 November 2026, in week 6 of a quarter that starts on 28 September.
const ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//e2e//EN', 'BEGIN:VEVENT', 'UID:h1', 'DTSTART;VALUE=DATE:20261111', 'SUMMARY:Harvest day', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');

browserSuite({
  seed: async (app) => {
    const imported = await (await app.manager()).post(`/api/quarters/${E2E_QUARTER}/import`, e2eScenario());
    if (imported.status !== 200) throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
    await app.createUser('manager', manager);
  },
  started: (s) => ({ t, browser } = s),
});

describe.skipIf(!hasBrowser)('holidays and absences, in a browser', () => {
  it('uploads a holiday file by keyboard, previews and adds it; the heatmap shows it as leave', async () => {
    const ctx = await browser.newContext({ viewport: { width: 820, height: 1000 } });
    const page = await ctx.newPage();
    await signIn(page, t.url, manager.email, manager.password);
    await page.goto(`${t.url}/manager/calendar`);
    await page.getByRole('heading', { name: 'Add a calendar' }).waitFor();

    await page.getByLabel('An .ics file').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('calendar-file').setInputFiles({ name: 'holidays.ics', mimeType: 'text/calendar', buffer: Buffer.from(ICS) });
    await page.getByTestId('calendar-preview').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('preview').innerText()).toContain('4 h each');
    await page.getByTestId('calendar-add').focus();
    await page.keyboard.press('Enter');
    const holidays = page.getByTestId('calendars-holidays');
    await expect.poll(() => holidays.innerText()).toContain('Harvest day');
    expect(await holidays.innerText()).toContain('4 h each');
    expect(await page.evaluate(() => [...document.querySelectorAll('.table-scroll')].every((e) => e.scrollWidth <= e.clientWidth + 1))).toBe(true);
    await shoot(page, 'leave-calendars');

    await page.getByRole('link', { name: 'Capacity' }).first().click();
    const cell = page.locator('[data-cell="ana-6"]');
    await expect.poll(async () => (await cell.getAttribute('title')) ?? '', { timeout: 40_000 }).toMatch(/4 h leave \(Harvest day\)/);
    await ctx.close();
  }, 120_000);
});
