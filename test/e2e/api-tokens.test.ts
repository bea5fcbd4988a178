// @vitest-environment node
/**
 * API tokens in headless Chromium against the real server: on /manager/users a manager creates a
 * read-only token (by keyboard), sees it once (ShownOnce: gone after Done and after a reload), and
 * a script using it as a Bearer reads /api/tickets (200) but may not file a ticket (403); revoked
 * in the page after a confirmation, it answers 401. Screenshots at 1440 and 820 px.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../utils/test-app.ts';
import { CHROMIUM, shoot, signIn } from './browser.ts';
import { browserSuite } from './browser-suite.ts';
import { E2E_QUARTER, e2eScenario } from './e2e-scenario.ts';

const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI installs Debian's chromium (.ci/run) for the browser tests`);

let t: TestApp;
let browser: Browser;
const manager = { email: 'tokens-boss@e2e.test', password: 'password-123' };

async function pageAs(who: { email: string; password: string }, width: number): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, t.url, who.email, who.password);
  return page;
}

/** A script's request with the token, as `Authorization: Bearer`. */
const withToken = (token: string, path: string, init: RequestInit = {}) =>
  fetch(`${t.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

browserSuite({
  seed: async (app) => {
    const imported = await (await app.manager()).post(`/api/quarters/${E2E_QUARTER}/import`, e2eScenario());
    if (imported.status !== 200) throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
    await app.createUser('manager', manager);
  },
  started: (s) => ({ t, browser } = s),
});

describe.skipIf(!hasBrowser)('API tokens in a browser', () => {
  it('creates a read-only token shown once; it reads but cannot write; revoked, it is refused', async () => {
    const page = await pageAs(manager, 1440);
    await page.goto(`${t.url}/manager/users`);
    const section = page.getByTestId('api-tokens');
    const create = section.getByTestId('create-token');
    await create.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create an API token' });
    await dialog.waitFor();
    await dialog.getByTestId('token-name').fill('Reporting script');
    await dialog.getByTestId('token-role').selectOption('manager');
    // Read only: the default scope, and nothing else.
    expect(await dialog.getByTestId('token-scope-read').isChecked()).toBe(true);
    expect(await dialog.getByTestId('token-scope-tickets:write').isChecked()).toBe(false);
    expect(await dialog.getByTestId('token-scope-time-entries:write').isChecked()).toBe(false);
    await dialog.getByRole('button', { name: 'Create the token' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const made = section.getByTestId('token-made');
    await made.waitFor();
    const token = await made.getByTestId('token-value').inputValue();
    expect(token.length).toBeGreaterThan(20);
    const row = section.getByTestId('tokens-table').locator('tbody tr', { hasText: 'Reporting script' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/manager\s+read\s+never\s+Active/);
    await shoot(page, 'tokens-made');

    // Shown once: gone after Done, and not in the page after a reload.
    await made.getByRole('button', { name: 'Done' }).click();
    await made.waitFor({ state: 'detached' });
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(token);

    const read = await withToken(token, `/api/tickets?quarter=${E2E_QUARTER}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { total: number }).total).toBe(e2eScenario().tickets.length);
    const write = await withToken(token, '/api/tickets', { method: 'POST', body: JSON.stringify({ client: 'harbor', title: 'From a script', priority: 3, estimateHours: 2 }) });
    expect(write.status).toBe(403);
    // Its use is shown.
    await page.reload();
    await expect.poll(() => row.innerText()).not.toMatch(/\bnever\b/);

    // Revoked in the page (by keyboard, after a confirmation): refused at once.
    const revoke = row.getByRole('button', { name: 'Revoke the token Reporting script' });
    await revoke.focus();
    await page.keyboard.press('Enter');
    const ask = page.getByRole('dialog', { name: 'Revoke the token “Reporting script”?' });
    await ask.waitFor();
    await ask.getByTestId('token-revoke-confirm').click();
    await expect.poll(() => row.innerText()).toContain('Revoked');
    expect(await row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    expect((await withToken(token, `/api/tickets?quarter=${E2E_QUARTER}`)).status).toBe(401);
    await shoot(page, 'tokens-revoked');
  }, 120_000);
});
