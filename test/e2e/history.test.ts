// @vitest-environment node
/**
 * Plan history and the audit trail in the browser (issue 11), on the demo quarter: the manager
 * changes a ticket's estimate and a second manager its priority (through the API); the manager
 * opens History from the navigation, reads the newest version's why naming the change and its
 * author, compares two versions by keyboard (the headline and the ticket rows as GET diff answers
 * them), filters the audit trail by person and by record (kept in the URL), and uses "Since
 * Monday". Screenshots history-{versions,compare,audit,since-monday}-1440/820, each fitting 820 px.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { PlanDiffResponse, PlanVersions, TicketRecord } from '../../shared/api/index.ts';
import { DEMO_USERS } from '../../server/seed.ts';
import { diffView, localDay, mondayOf, weeksText } from '../../client/src/composables/plan-history.ts';
import type { ApiClient } from '../utils/api-client.ts';
import type { TestApp } from '../utils/test-app.ts';
import { CHROMIUM, shoot, signIn } from './browser.ts';
import { browserSuite } from './browser-suite.ts';

const hasBrowser = existsSync(CHROMIUM);
const MANAGER = DEMO_USERS[0]!;
const SECOND = { email: 'second-boss@e2e.test', password: 'password-123' };
let t: TestApp;
let browser: Browser;
let api: ApiClient;
let estimated: { id: string; from: number; to: number };
let reprioritised: { id: string; from: number; to: number };

browserSuite({
  env: { DEMO: 'on' },
  seed: async (app) => {
    await app.settle();
    api = await app.as(MANAGER.email, MANAGER.password);
    const open = ((await api.get('/api/tickets?status=open&limit=50')).body.items as TicketRecord[]).filter((x) => !x.emergency);
    const [a, b] = [open[0]!, open[1]!];
    const r1 = await api.patch(`/api/tickets/${a.id}`, { version: a.version, estimateHours: a.estimateHours + 3 });
    if (r1.status !== 200) throw new Error(`estimate: ${r1.status} ${JSON.stringify(r1.body)}`);
    estimated = { id: a.id, from: a.estimateHours, to: a.estimateHours + 3 };
    await app.settle();
    await app.createUser('manager', SECOND);
    const second = await app.as(SECOND.email, SECOND.password);
    const to = b.priority === 1 ? 2 : 1;
    const r2 = await second.patch(`/api/tickets/${b.id}`, { version: b.version, priority: to });
    if (r2.status !== 200) throw new Error(`priority: ${r2.status} ${JSON.stringify(r2.body)}`);
    reprioritised = { id: b.id, from: b.priority, to };
  },
  started: (s) => ({ t, browser } = s),
});

const focused = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.id);
const auditRows = (page: Page) => page.getByTestId('audit-table').locator('tbody tr').allInnerTexts();

describe.skipIf(!hasBrowser)('plan history in a browser', () => {
  it('reads why each version was made and by whom, compares two, filters the audit trail and shows since Monday', async () => {
    const versions = (await api.get('/api/plans')).body as PlanVersions;
    const current = versions.current!;
    const oldest = versions.versions.at(-1)!.version;
    expect(versions.versions.length).toBeGreaterThanOrEqual(2);

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, t.url, MANAGER.email, MANAGER.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    await page.waitForURL(/\/manager\/history/);
    await page.getByRole('heading', { name: 'History', exact: true }).waitFor();

    // The why: the newest versions name the estimate change and the priority change, each with its author.
    const versionList = page.getByTestId('versions');
    await expect.poll(() => versionList.innerText(), { timeout: 30_000 }).toContain(`${estimated.id} estimate ${estimated.from} → ${estimated.to} h by ${MANAGER.email}`);
    expect(await versionList.innerText()).toContain(`${reprioritised.id} priority ${reprioritised.from} → ${reprioritised.to} by ${SECOND.email}`);
    expect(await page.getByTestId(`version-${current}`).innerText()).toContain('current');
    await expect.poll(() => page.getByTestId('diff-headline').innerText()).toMatch(/^v\d+ → v\d+: /);
    await shoot(page, 'history-versions');

    // Any two: the oldest version against the current one.
    await page.getByTestId('compare-older').selectOption(String(oldest));
    expect(await page.getByTestId('compare-newer').inputValue()).toBe(String(current));
    const diff = (await api.get(`/api/plans/${current}/diff?against=${oldest}`)).body as PlanDiffResponse;
    const expected = diffView(diff, { clients: new Map(), staff: new Map() });
    await expect.poll(() => page.getByTestId('diff-headline').innerText()).toBe(expected.headline);
    for (const tk of diff.tickets.slice(0, 5)) {
      const row = await page.getByTestId(`diff-ticket-${tk.id}`).innerText();
      expect(row).toContain(weeksText(tk.before));
      expect(row).toContain(weeksText(tk.after));
    }
    expect(new URL(page.url()).searchParams.get('older')).toBe(String(oldest));
    await shoot(page, 'history-compare');

    // "What changed" on a version, by keyboard: it against the one before it.
    const prev = versions.versions.find((v) => v.version < current)!.version;
    await page.getByTestId(`compare-${current}`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('compare-older').inputValue()).toBe(String(prev));
    await expect.poll(() => page.getByTestId('diff-headline').innerText()).toMatch(new RegExp(`^v${prev} → v${current}: `));

    // The audit trail by person: only the second manager's change.
    const audit = page.getByTestId('audit');
    await audit.getByTestId('audit-person').selectOption({ label: `${SECOND.email} (manager)` });
    await expect.poll(() => page.getByTestId('audit-summary').innerText()).toBe(`1 change: by ${SECOND.email}`);
    expect(await auditRows(page)).toEqual([expect.stringContaining(`${reprioritised.id} priority ${reprioritised.from} → ${reprioritised.to}`)]);
    expect(new URL(page.url()).searchParams.get('person')).toMatch(/^\d+$/);

    // By record, typed and entered by keyboard: every change to the estimated ticket, by anyone.
    await audit.getByTestId('audit-person').selectOption('');
    await audit.getByTestId('audit-entity').selectOption('ticket');
    await audit.getByTestId('audit-record').focus();
    await page.keyboard.type(estimated.id);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('audit-summary').innerText()).toMatch(new RegExp(`^\\d+ changes?: ticket ${estimated.id}$`));
    // The summary can answer before the table's rows are replaced: wait for the rows themselves.
    await expect.poll(async () => (await auditRows(page))[0] ?? '').toContain(`${estimated.id} estimate ${estimated.from} → ${estimated.to} h`);
    const rows = await auditRows(page);
    expect(rows[0]).toContain(MANAGER.email);
    const url = new URL(page.url()).searchParams;
    expect([url.get('entity'), url.get('record')]).toEqual(['ticket', estimated.id]);
    await shoot(page, 'history-audit');

    // The filters survive a reload (they are in the URL).
    await page.reload();
    await expect.poll(() => page.getByTestId('audit-summary').innerText(), { timeout: 30_000 }).toMatch(new RegExp(`: ticket ${estimated.id}$`));
    expect(await page.getByTestId('audit-record').inputValue()).toBe(estimated.id);

    // Since Monday, by keyboard: every version of the demo is from today, so the oldest against the current one; the audit from Monday.
    await page.getByTestId('audit-clear').click();
    await page.getByTestId('since-monday').focus();
    await page.keyboard.press('Enter');
    const note = page.getByTestId('compare-note');
    await note.waitFor();
    const monday = mondayOf(new Date());
    const before = versions.versions.filter((v) => Date.parse(v.createdAt) < monday.getTime());
    const from = before[0]?.version ?? oldest;
    expect(await note.innerText()).toContain(`v${from}`);
    expect(await note.innerText()).toContain(`v${current}, the plan now`);
    await expect.poll(() => focused(page)).toBe('compare-note');
    expect(await page.getByTestId('compare-older').inputValue()).toBe(String(from));
    expect(await page.getByTestId('compare-newer').inputValue()).toBe(String(current));
    await expect.poll(() => page.getByTestId('diff-headline').innerText()).toMatch(new RegExp(`^v${from} → v${current}: `));
    expect(await page.getByTestId('audit-from').inputValue()).toBe(localDay(monday));
    await expect.poll(() => page.getByTestId('audit-summary').innerText()).toMatch(new RegExp(`since ${localDay(monday)}$`));
    await shoot(page, 'history-since-monday');
    await ctx.close();
  }, 240_000);
});
