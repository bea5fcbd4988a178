// @vitest-environment node
/**
 * Work arriving by itself (issue 13) in headless Chromium against the real server: a manager
 * connects GitHub on /manager/integrations (secret, repository → client, labels, the emergency
 * label); a correctly signed `issues.opened` with the emergency label arrives while the queue is
 * open, and its ticket appears live marked "Emergency requested", counted above the queue; the
 * manager confirms it by keyboard (it becomes an emergency) and dismisses another's request after
 * a confirmation; the deliveries log shows both events. Then a mail from an unknown sender to the
 * app's own SMTP listener (nodemailer) is held on /manager/tickets and filed as a client's ticket,
 * which appears in the queue. Screenshots at 1440 and 820 px (no horizontal scroll at 820).
 */
import { existsSync } from 'node:fs';
import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { deliverGithub, openedIssue } from '../utils/github-webhook.ts';
import type { TestApp } from '../utils/test-app.ts';
import { CHROMIUM, screenshot, shoot, signIn } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { E2E_QUARTER, e2eScenario } from './e2e-scenario.ts';

const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI installs Debian's chromium (.ci/run) for the browser tests`);

const SECRET = 'e2e-github-secret-0123456789';
const SUPPORT = 'support@intake.e2e.test';
let t: TestApp;
let browser: Browser;
const manager = { email: 'intake-boss@e2e.test', password: 'password-123' };

async function pageAs(who: { email: string; password: string }, width: number): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, t.url, who.email, who.password);
  return page;
}

/** No table scrolls sideways (the page itself is checked by `shoot`). */
const tablesFit = (page: Page) => page.evaluate(() => [...document.querySelectorAll('.table-scroll')].every((e) => e.scrollWidth <= e.clientWidth + 1));

/** A GitHub issue with the emergency label, delivered signed: its ticket's id. */
async function emergencyIssue(id: number, title: string): Promise<string> {
  const r = await deliverGithub(t.url, SECRET, openedIssue(id, ['bug', 'emergency'], title));
  const body = (await r.json()) as { outcome: string; ticket: string };
  expect(r.status, JSON.stringify(body)).toBe(201);
  return body.ticket;
}

browserSuite({
  env: { INBOUND_SMTP_PORT: '0', SUPPORT_ADDRESS: SUPPORT },
  seed: async (app) => {
    const imported = await (await app.manager()).post(`/api/quarters/${E2E_QUARTER}/import`, e2eScenario());
    if (imported.status !== 200) throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
    await app.createUser('manager', manager);
  },
  started: (s) => ({ t, browser } = s),
});

describe.skipIf(!hasBrowser)('work arriving by itself, in a browser', () => {
  it('connects GitHub; an issue with the emergency label shows up live as requested; confirmed and dismissed; the deliveries log shows them', async () => {
    const page = await pageAs(manager, 1440);
    await page.goto(`${t.url}/manager/integrations`);
    await page.getByTestId('configure-github').click();
    const form = page.getByRole('dialog', { name: 'Connect GitHub' });
    await form.getByTestId('tracker-secret').fill(SECRET);
    await form.getByTestId('tracker-clients').fill('Codertocat/Hello-World = harbor');
    await form.getByLabel('Labels or priority names').fill('bug = 2');
    await form.getByLabel('Emergency label').fill('emergency');
    await form.getByTestId('tracker-save').click();
    await form.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('tracker-github').innerText()).toContain('Codertocat/Hello-World → harbor');
    expect(await page.getByTestId('tracker-github').innerText()).toContain('Connected');

    // The queue is open when the tracker's event arrives: the ticket comes in without a reload.
    await page.getByRole('link', { name: 'Tickets' }).click();
    await page.getByTestId('ticket-queue').waitFor();
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const first = await emergencyIssue(501, 'Booking site is down');
    const row = page.locator(`[data-testid="ticket-queue"] tbody tr[data-ticket="${first}"]`);
    await row.getByTestId(`requested-${first}`).waitFor({ timeout: 40_000 });
    expect(await row.innerText()).toContain('Booking site is down');
    expect(await page.getByTestId('emergency-requests').innerText()).toContain('1 emergency requested');
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await shoot(page, 'intake-requested');
    await page.setViewportSize({ width: 820, height: 1000 });
    await expect.poll(() => tablesFit(page), { message: 'the queue with a request fits 820 px' }).toBe(true);
    await page.setViewportSize({ width: 1440, height: 1000 });

    // Confirm, by keyboard: the declare-emergency dialog on that ticket.
    const confirm = page.getByRole('button', { name: `Confirm the emergency requested on ${first}` });
    await confirm.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Declare an emergency' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('emergency-ticket').inputValue()).toBe(first);
    await dialog.getByRole('button', { name: 'Check the effect' }).click();
    await dialog.getByTestId('what-if-answer').waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Declare emergency' }).click();
    await dialog.getByTestId('action-effect').waitFor({ timeout: 40_000 });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await row.getByTestId(`undeclare-${first}`).waitFor({ timeout: 20_000 });
    expect(await row.getByTestId(`requested-${first}`).count()).toBe(0);
    await page.getByTestId('emergency-requests').waitFor({ state: 'detached', timeout: 20_000 });

    // Another request, reviewed through the filter and dismissed after a confirmation (820 px).
    await page.setViewportSize({ width: 820, height: 1000 });
    const second = await emergencyIssue(502, 'Reminder mails look odd');
    await page.getByTestId('review-requests').click({ timeout: 40_000 });
    await page.waitForURL((u) => u.searchParams.get('requested') === '1');
    const other = page.locator(`[data-testid="ticket-queue"] tbody tr[data-ticket="${second}"]`);
    await other.waitFor();
    await expect.poll(() => page.getByTestId('ticket-queue').locator('tbody tr').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    expect(await tablesFit(page)).toBe(true);
    await screenshot(page, 'intake-review-820');
    const dismiss = page.getByRole('button', { name: `Dismiss the emergency request on ${second}` });
    await dismiss.focus();
    await page.keyboard.press('Enter');
    const ask = page.getByRole('dialog', { name: `Dismiss the emergency request on ${second}` });
    await ask.waitFor();
    await ask.getByTestId('dismiss-confirm').click();
    await page.getByTestId('tickets-notice').getByText(`The emergency request on ${second} is dismissed`).waitFor();
    await other.waitFor({ state: 'detached', timeout: 40_000 });
    await page.getByTestId('all-tickets').click();
    const back = page.locator(`[data-testid="ticket-queue"] tbody tr[data-ticket="${second}"]`);
    await back.waitFor();
    expect(await back.getByTestId(`requested-${second}`).count()).toBe(0);
    expect(await back.getByTestId(`declare-${second}`).count()).toBe(1);
    await page.setViewportSize({ width: 1440, height: 1000 });

    // The deliveries log: both events, created, with the request said.
    await page.goto(`${t.url}/manager/integrations`);
    const log = page.getByTestId('events-table');
    await log.waitFor();
    for (const id of [first, second]) {
      const line = log.locator('tbody tr', { hasText: id });
      expect(await line.innerText()).toMatch(/created/);
      expect(await line.innerText()).toContain('emergency requested by its label');
    }
    await shoot(page, 'intake-integrations');
    await page.setViewportSize({ width: 820, height: 1000 });
    await expect.poll(() => tablesFit(page), { message: 'the trackers and deliveries fit 820 px' }).toBe(true);
  }, 180_000);

  it('holds a mail from an unknown sender on the Tickets page; filed for a client, it becomes a ticket in the queue', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: t.app.mail!.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ from: 'Sam Stranger <sam@elsewhere.test>', to: SUPPORT, subject: 'Our card reader stopped', text: 'The reception card reader says error 7.' });
    } finally {
      transport.close();
    }
    const page = await pageAs(manager, 820);
    await page.goto(`${t.url}/manager/tickets`);
    const panel = page.getByTestId('held-mail');
    const mail = panel.locator('[data-mail]', { hasText: 'Our card reader stopped' });
    await mail.waitFor();
    expect(await mail.innerText()).toContain('sam@elsewhere.test');
    const id = await mail.getAttribute('data-mail');
    await page.getByTestId(`held-client-${id}`).selectOption('harbor');
    await page.getByTestId(`held-priority-${id}`).selectOption('2');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    await screenshot(page, 'intake-held-mail-820');
    await page.getByTestId(`held-assign-${id}`).click();
    const notice = page.getByTestId('held-mail-notice');
    await notice.waitFor();
    const ticket = /ticket (\S+);/.exec(await notice.innerText())?.[1];
    expect(ticket).toBeTruthy();
    const row = page.locator(`[data-testid="ticket-queue"] tbody tr[data-ticket="${ticket}"]`);
    await row.waitFor({ timeout: 40_000 });
    expect(await row.innerText()).toContain('Our card reader stopped');
    expect(await row.innerText()).toContain('Harbor Dental');
  }, 120_000);
});
