// @vitest-environment node
/**
 * The tickets section in headless Chromium: the manager sorts the queue by a column (by keyboard),
 * filters it, reloads with the filters and order kept in the address, opens a ticket whose due
 * week is past (shown, "(past)", and marked overdue in the queue), un-declares an emergency, sees
 * the Done tab, imports a CSV with an error (the preview shows row and column, Import disabled),
 * fixes it and imports, and exports; a client user sees My tickets, open and done. Screenshots
 * tickets-*-1440/820, each checked to fit 820 px without horizontal scroll.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../utils/test-app.ts';
import { ensureClientBuilt, launchBrowser, screenshot, signIn } from './browser.ts';

const hasBrowser = existsSync('/usr/bin/chromium');
const Q = 'TK-Q';
let t: TestApp;
let browser: Browser;
const users = {} as Record<'manager' | 'harbor', { email: string; password: string }>;

function scenario() {
  return {
    quarter: { id: Q, weeks: 13, currentWeek: 4, startDate: '2026-09-28' },
    staff: [
      { id: 'ana', name: 'Ana Lima', weeklyHours: 30, skills: ['linux'] },
      { id: 'bo', name: 'Bo Berg', weeklyHours: 20, skills: [] },
    ],
    clients: [
      { id: 'harbor', name: 'Harbor Dental', plan: 'prepaid', purchases: [{ week: 0, hours: 52 }], usedByWeek: [4, 4, 4, 4] },
      { id: 'quill', name: 'Quill Books', plan: 'prepaid', purchases: [{ week: 0, hours: 39 }], usedByWeek: [3, 3, 3, 3] },
      { id: 'dyno', name: 'Dyno Gyms', plan: 'payg' },
    ],
    tickets: [
      { id: 'H-1', client: 'harbor', title: 'Booking system upgrade', priority: 2, estimateHours: 40, spentHours: 6, openedWeek: 0, dueWeek: 9 },
      { id: 'H-2', client: 'harbor', title: 'Patient reminders late', priority: 3, estimateHours: 8, openedWeek: 1, dueWeek: 2 },
      { id: 'H-3', client: 'harbor', title: 'Old intranet retired', priority: 4, estimateHours: 5, spentHours: 5, openedWeek: 0, status: 'closed' },
      { id: 'Q-1', client: 'quill', title: 'Shop checkout failing', priority: 1, estimateHours: 16, openedWeek: 3, emergency: true },
      { id: 'Q-2', client: 'quill', title: 'Newsletter template', priority: 3, estimateHours: 12, openedWeek: 2, dueWeek: 11 },
      { id: 'D-1', client: 'dyno', title: 'Member app rebuild', priority: 3, estimateHours: 120, openedWeek: 0 },
    ],
    policy: {},
  };
}

beforeAll(async () => {
  if (!hasBrowser) return;
  await ensureClientBuilt();
  t = await startTestApp('pglite', { SERVE_CLIENT: 'true' });
  const m = await t.manager();
  const imported = await m.post(`/api/quarters/${Q}/import`, scenario());
  if (imported.status !== 200) throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
  users.manager = await t.createUser('manager', { email: 'boss@tickets.test' });
  users.harbor = await t.createUser('client', { email: 'harbor@tickets.test', clientId: 'harbor' });
  await t.settle();
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** No horizontal scroll at this width: the page, and no table wider than its box. */
const fits = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1 && [...document.querySelectorAll('.table-scroll')].every((e) => e.scrollWidth <= e.clientWidth + 1));

const widths = (page: Page) => page.evaluate(() => JSON.stringify([document.documentElement.scrollWidth, ...[...document.querySelectorAll('.table-scroll')].map((e) => [e.scrollWidth, e.clientWidth])]));

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await screenshot(page, `tickets-${name}-1440`);
  await expect.poll(() => fits(page), { message: `${name} fits 1440 px: ${await widths(page)}`, timeout: 10_000 }).toBe(true);
  await page.setViewportSize({ width: 820, height: 1000 });
  await screenshot(page, `tickets-${name}-820`);
  await expect.poll(() => fits(page), { message: `${name} fits 820 px: ${await widths(page)}`, timeout: 10_000 }).toBe(true);
  await page.setViewportSize({ width: 1440, height: 900 });
}

const queueIds = (page: Page) => page.getByTestId('ticket-queue').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ticket')));

describe.skipIf(!hasBrowser)('the tickets section in a browser', () => {
  it('sorts, filters, keeps both in the address, shows a past due week, un-declares an emergency, shows Done, imports and exports CSV', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await ctx.newPage();
    await signIn(page, t.url, users.manager.email, users.manager.password);
    await page.goto(`${t.url}/manager/tickets`);
    await page.getByTestId('ticket-queue').waitFor();
    // The queue's order: the emergency first, then priority, then most unplanned hours.
    await expect.poll(() => queueIds(page)).toEqual(['Q-1', 'H-1', 'D-1', 'H-2', 'Q-2']);
    await expect.poll(() => page.getByTestId('due-H-2').textContent()).toContain('Overdue');

    // Sort by estimate, by keyboard: ascending, then descending.
    const estimate = page.getByTestId('sort-estimate');
    await estimate.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => queueIds(page)).toEqual(['H-2', 'Q-2', 'Q-1', 'H-1', 'D-1']);
    expect(await page.locator('th', { has: estimate }).getAttribute('aria-sort')).toBe('ascending');
    await page.keyboard.press('Space');
    await expect.poll(() => queueIds(page)).toEqual(['D-1', 'H-1', 'Q-1', 'Q-2', 'H-2']);
    expect(await page.locator('th', { has: estimate }).getAttribute('aria-sort')).toBe('descending');
    await shoot(page, 'queue-sorted');

    // Filter by client; the address keeps filter and order through a reload.
    await page.getByTestId('filter-client').selectOption('harbor');
    await expect.poll(() => queueIds(page)).toEqual(['H-1', 'H-2']);
    await expect.poll(() => Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ client: 'harbor', sort: 'estimate', dir: 'desc' });
    await page.reload();
    await expect.poll(() => queueIds(page)).toEqual(['H-1', 'H-2']);
    expect(await page.getByTestId('filter-client').inputValue()).toBe('harbor');
    expect(await page.locator('th', { has: page.getByTestId('sort-estimate') }).getAttribute('aria-sort')).toBe('descending');

    // A past due week stays shown in the edit dialog.
    await page.getByRole('button', { name: 'Edit H-2' }).click();
    const due = page.getByRole('dialog').getByTestId('ticket-due');
    await due.waitFor();
    await expect.poll(() => due.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent?.trim())).toBe('Week 2 · 12 Oct (past)');
    await shoot(page, 'edit-past-due');
    await page.getByRole('dialog').getByRole('button', { name: 'Close dialog' }).click();

    // Un-declare the emergency (all clients again), with a confirmation.
    await page.getByTestId('filter-client').selectOption('');
    await page.getByTestId('undeclare-Q-1').click();
    await page.getByTestId('undeclare-confirm').waitFor();
    await shoot(page, 'undeclare');
    await page.getByTestId('undeclare-confirm').click();
    await page.getByTestId('tickets-notice').getByText('Q-1 is no longer an emergency').waitFor();
    await expect.poll(() => page.getByTestId('undeclare-Q-1').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('declare-Q-1').count(), { timeout: 15_000 }).toBe(1);

    // The Done tab, by keyboard from the Queue tab.
    await page.getByRole('tab', { name: 'Queue' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('done-tickets').getByText('Old intranet retired').waitFor();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('done');
    await shoot(page, 'done');
    await page.getByRole('tab', { name: 'Queue' }).click();

    // Import a CSV with an error: the preview names row and column, Import stays disabled.
    const dir = mkdtempSync(join(tmpdir(), 'tickets-csv-'));
    const header = 'id,client,title,priority,estimateHours,openedWeek,dueWeek';
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${header}\nN-1,harbor,New forms,3,4,4,6\nN-2,quill,Gift cards,high,6,4,\n`);
    await page.getByTestId('csv-open').click();
    await page.getByTestId('csv-file').setInputFiles(bad);
    await page.getByTestId('csv-errors').getByText('Row 3, priority: must be 1 (urgent), 2 (high), 3 (normal) or 4 (low)').waitFor();
    expect(await page.getByTestId('csv-preview').locator('tr[data-row="3"] td[aria-invalid="true"]').textContent()).toContain('high');
    expect(await page.getByTestId('csv-import').isDisabled()).toBe(true);
    await shoot(page, 'csv-error');
    // Nothing was saved.
    expect((await (await t.manager()).get('/api/tickets/N-1')).status).toBe(404);

    const good = join(dir, 'good.csv');
    writeFileSync(good, `${header}\nN-1,harbor,New forms,3,4,4,6\nN-2,quill,Gift cards,2,6,4,\n`);
    await page.getByTestId('csv-file').setInputFiles(good);
    await page.getByTestId('csv-verdict').getByText('All 2 rows are good: 2 new, 0 changed, 0 unchanged').waitFor();
    expect(await page.getByTestId('csv-import').isDisabled()).toBe(false);
    await shoot(page, 'csv-ready');
    await page.getByTestId('csv-import').click();
    await page.getByTestId('csv-done').getByText('Imported: 2 new').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(() => queueIds(page), { timeout: 15_000 }).toContain('N-2');

    // Export: the file has the imported tickets.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-tickets').click()]);
    const file = join(dir, 'export.csv');
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toContain('id,client,title');
    expect(text).toContain('N-2,quill,Gift cards,2,6');
    const [entries] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-entries').click()]);
    expect(entries.suggestedFilename()).toBe(`time-entries-${Q}.csv`);
    await ctx.close();
  });

  it('a client sees My tickets, open and done', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, t.url, users.harbor.email, users.harbor.password);
    await page.goto(`${t.url}/client/tickets`);
    const open = page.getByTestId('client-tickets');
    await open.getByText('Booking system upgrade').waitFor();
    await expect.poll(() => page.getByTestId('due-H-2').textContent()).toContain('Overdue');
    expect(await open.getByText('Gift cards').count()).toBe(0);
    await shoot(page, 'client-open');
    await page.getByRole('tab', { name: 'Done' }).click();
    await page.getByTestId('client-done-tickets').getByText('Old intranet retired').waitFor();
    expect(await page.getByTestId('client-done-tickets').locator('tbody tr').count()).toBe(1);
    await shoot(page, 'client-done');
    await page.reload();
    await page.getByTestId('client-done-tickets').waitFor();
    await ctx.close();
  });
});
