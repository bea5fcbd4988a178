// @vitest-environment node
/**
 * A new company from an empty database (DEMO=off) to a first plan through the UI alone: the
 * manager lands on the first-run checklist, starts the quarter, adds staff (with leave larger than
 * a week, shown as fully away), clients (one prepaid, one PAYG), records a block through the
 * what-if, corrects it, imports a CSV of tickets, invites a staff user, who sets their password
 * from the link and signs in; then the manager changes a person's weekly hours and reads the change,
 * and who made it, in the plan's history. Screenshots of each new page at 1440 px and 820 px.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN, startTestApp, type TestApp } from '../utils/test-app.ts';
import { ensureClientBuilt, launchBrowser, screenshot, shoot, signIn } from './browser.ts';

const hasBrowser = existsSync('/usr/bin/chromium');
let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  if (!hasBrowser) return;
  await ensureClientBuilt();
  t = await startTestApp('pglite', { SERVE_CLIENT: 'true' });
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe.skipIf(!hasBrowser)('first run in a browser', () => {
  it('walks an empty database to a first plan through the UI alone', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, t.url, ADMIN.email, ADMIN.password);
    // The manager's home on an empty database is the checklist.
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    await expect.poll(() => page.getByTestId('setup-missing').textContent()).toContain('start the quarter, add your staff, add your clients, import tickets');
    await shoot(page, 'setup-checklist-empty');

    await page.getByTestId('quarter-id').fill('2026-Q4');
    await page.getByTestId('quarter-start').fill('2026-09-28');
    await page.getByTestId('start-quarter').click();
    await page.getByTestId('step-quarter').getByText('Quarter 2026-Q4 is open.').waitFor();

    // Staff, from the navigation, by keyboard where it counts.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
    await page.getByTestId('add-staff').click();
    await page.getByTestId('staff-name').fill('Ana Lima');
    await page.getByTestId('staff-hours').fill('');
    await page.getByRole('button', { name: 'Add staff member' }).last().click();
    const hoursError = page.getByRole('dialog').getByText('Enter the hours a week they do client work.');
    await hoursError.waitFor();
    await page.getByTestId('staff-hours').fill('32');
    await expect.poll(() => hoursError.count()).toBe(0);
    await page.getByTestId('staff-skill').fill('linux');
    await page.getByTestId('staff-skill').press('Enter');
    await page.getByRole('dialog').getByRole('button', { name: 'Add staff member' }).click();
    await page.getByTestId('staff-table').getByText('Ana Lima').waitFor();
    await page.getByTestId('add-staff').click();
    await page.getByTestId('staff-name').fill('Sam Okafor');
    await page.getByTestId('staff-hours').fill('20');
    await page.getByRole('dialog').getByRole('button', { name: '+ linux' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Add staff member' }).click();
    await page.getByTestId('staff-table').getByText('Sam Okafor').waitFor();
    await shoot(page, 'setup-staff');
    // Leave over the weekly hours: kept, and shown as fully away.
    await page.getByRole('button', { name: 'Leave of Sam Okafor' }).click();
    await page.getByTestId('leave-week-3').fill('24');
    await page.getByTestId('leave-fully-away').waitFor();
    await screenshot(page, 'setup-staff-leave-1440');
    await page.getByRole('button', { name: 'Save leave' }).click();
    await page.getByTestId('staff-table').getByText('1 fully away').waitFor();

    // Clients: a prepaid one with a block (through the what-if), a PAYG one.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    for (const [name, plan, contact] of [['Harbor Dental', 'prepaid', 'Mia, mia@harbor.test'], ['Dyno Labs', 'payg', '']] as const) {
      await page.getByTestId('add-client').click();
      await page.getByTestId('client-name').fill(name);
      await page.getByTestId('client-plan').selectOption(plan);
      await page.getByTestId('client-contact').fill(contact);
      await page.getByRole('dialog').getByRole('button', { name: 'Add client' }).click();
      await page.getByTestId('client-records-table').getByText(name).waitFor();
    }
    await page.getByRole('button', { name: 'Blocks of Harbor Dental' }).click();
    const record = page.getByTestId('record-block');
    await expect.poll(() => record.isEnabled(), { timeout: 15_000 }).toBe(true);
    await record.click();
    await page.locator('dialog[open]').getByTestId('block-hours').fill('52');
    await page.getByRole('button', { name: 'Check the effect' }).click();
    await page.getByRole('button', { name: 'Record the block' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByTestId('blocks-table').getByText('52').waitFor();
    // Corrected: it was 60 hours.
    await page.getByRole('button', { name: /Correct the block of 52 h/ }).click();
    await page.getByTestId('correct-hours').fill('10');
    await page.getByRole('button', { name: 'Save correction' }).click();
    await page.getByRole('dialog').getByText('a block is at least 20 hours').waitFor();
    await page.getByTestId('correct-hours').fill('60');
    await page.getByRole('button', { name: 'Save correction' }).click();
    await page.getByTestId('blocks-table').getByText('60').waitFor();
    await screenshot(page, 'setup-blocks-1440');
    await page.keyboard.press('Escape');
    await page.getByTestId('client-records-table').getByText('1 · 60 h').waitFor();
    await shoot(page, 'setup-clients');

    // Tickets by CSV, on the checklist.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Setup' }).click();
    const csv = ['id,client,title,priority,estimateHours,openedWeek,skill', 'H-1,harbor-dental,Backups,2,10,0,linux', 'D-1,dyno-labs,New report,3,6,0,'].join('\n');
    await page.getByTestId('tickets-csv').setInputFiles({ name: 'tickets.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-tickets').click();
    await page.getByTestId('csv-imported').getByText('Imported 2 rows').waitFor();
    await expect.poll(() => page.getByTestId('setup-done').count(), { timeout: 20_000 }).toBe(1);
    await shoot(page, 'setup-checklist-done');

    // A user invitation: the link is shown to copy.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByTestId('invite-user').click();
    await page.getByTestId('invite-email').fill('ana@company.test');
    await page.getByTestId('invite-role').selectOption('staff');
    await page.getByTestId('invite-staff').selectOption('ana-lima');
    await page.getByRole('button', { name: 'Invite and make the link' }).click();
    const url = await page.getByTestId('password-link-url').inputValue();
    expect(url).toMatch(/\/set-password\?token=/);
    await page.getByTestId('users-table').getByText('ana@company.test').waitFor();
    await shoot(page, 'setup-users');

    // The first plan: capacity shows Ana and Sam.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Capacity' }).click();
    await page.getByRole('heading', { name: 'Capacity', exact: true }).waitFor();

    // Ana sets her password from the link, in her own browser, and signs in.
    const anaCtx = await browser.newContext({ viewport: { width: 820, height: 1000 } });
    const ana = await anaCtx.newPage();
    await ana.goto(url);
    await ana.getByTestId('link-email').getByText('ana@company.test').waitFor();
    expect(new URL(ana.url()).search).toBe('');
    await ana.getByTestId('new-password').fill('password1234');
    await ana.getByTestId('repeat-password').fill('password1234');
    await ana.getByRole('button', { name: 'Set password' }).click();
    await ana.getByText(/common password|at least 12/).first().waitFor();
    await screenshot(ana, 'setup-set-password-820');
    await ana.getByTestId('new-password').fill('ana sets a long one 42');
    await ana.getByTestId('repeat-password').fill('ana sets a long one 42');
    await ana.getByRole('button', { name: 'Set password' }).click();
    await ana.waitForURL(/\/sign-in/);
    expect(await ana.getByLabel('Email').inputValue()).toBe('ana@company.test');
    await ana.getByLabel('Password').fill('ana sets a long one 42');
    await ana.getByRole('button', { name: 'Sign in' }).click();
    await ana.waitForURL(/\/staff/);
    // The link is spent.
    await ana.goto(url);
    await ana.getByTestId('link-error').waitFor();
    await anaCtx.close();

    // The manager changes something, and reads it, and who did it, in the plan's history.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('button', { name: 'Edit Sam Okafor' }).click();
    await page.getByTestId('staff-hours').fill('16');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History', exact: true }).waitFor();
    await expect.poll(() => page.getByTestId('versions').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`weekly hours 20 → 16 h by ${ADMIN.email}`));
    await shoot(page, 'setup-history');
    await ctx.close();
  }, 240_000);
});
