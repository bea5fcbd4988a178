// @vitest-environment node
/**
 * Notification switches in the browser (issue 12), on the demo quarter without SMTP_URL (mail goes
 * to the log and the table): a client user opens Notifications from the header, switches the weekly
 * digest off by keyboard, and finds it off after a reload and in GET /api/account/notifications; a
 * manager opens the same page, reads the messages the demo's plan sent (to the log), and a
 * client's switches. Screenshots notifications-{client,manager}-1440/820, each fitting 820 px.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_USERS } from '../../server/seed.ts';
import type { TestApp } from '../utils/test-app.ts';
import { CHROMIUM, shoot, signIn } from './browser.ts';
import { browserSuite } from './browser-suite.ts';

const hasBrowser = existsSync(CHROMIUM);
const MANAGER = DEMO_USERS[0]!;
const HARBOR = DEMO_USERS.find((u) => u.email === 'harbor@demo.test')!;
let t: TestApp;
let browser: Browser;

browserSuite({
  env: { DEMO: 'on' },
  seed: async (app) => {
    await app.settle();
    await app.app.services.notifier.runDigest(new Date('2026-11-30T07:00:00Z'));
    await app.app.services.notifier.idle();
  },
  started: (s) => ({ t, browser } = s),
});

describe.runIf(hasBrowser)('notifications in the browser', () => {
  it('a client user switches the digest off; it stays off', async () => {
    const page = await browser.newPage();
    await signIn(page, t.url, HARBOR.email, HARBOR.password);
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL((u) => u.pathname === '/account/notifications');
    const digest = page.getByTestId('rule-digest');
    await expect.poll(() => digest.isChecked()).toBe(true);
    await digest.focus();
    await page.keyboard.press('Space');
    await expect.poll(async () => (await (await t.as(HARBOR.email, HARBOR.password)).get('/api/account/notifications')).body.rules.find((r: { rule: string }) => r.rule === 'digest').enabled).toBe(false);
    await page.reload();
    await expect.poll(() => page.getByTestId('rule-digest').isChecked()).toBe(false);
    await expect.poll(() => page.getByTestId('rule-at-risk').isChecked()).toBe(true);
    await shoot(page, 'notifications-client');
    await page.close();
  }, 60_000);

  it('a manager reads what was sent and a client’s switches', async () => {
    const sent = (await (await t.as(MANAGER.email, MANAGER.password)).get('/api/notifications')).body;
    expect(sent.total).toBeGreaterThan(0);
    const page = await browser.newPage();
    await signIn(page, t.url, MANAGER.email, MANAGER.password);
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL((u) => u.pathname === '/account/notifications');
    await expect.poll(() => page.getByText(sent.items[0].subject).first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText('(to the log)').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('notify-client').inputValue()).not.toBe('');
    await shoot(page, 'notifications-manager');
    await page.close();
  }, 60_000);
});
