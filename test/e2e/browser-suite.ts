/**
 * A browser suite's set-up: the dashboard built, the app on embedded PostgreSQL serving it, the
 * suite's own data, then Chromium; all closed after the suite. Without Chromium nothing starts
 * (the suite skips).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../utils/test-app.ts';
import { CHROMIUM, ensureClientBuilt, launchBrowser } from './browser.ts';

export interface BrowserSuite {
  t: TestApp;
  browser: Browser;
}

/** `env`: the app's settings besides SERVE_CLIENT; `seed`: the suite's data (re-plans settle after it); `started`: gets the app and browser. */
export function browserSuite(opts: { env?: Record<string, string>; seed?: (t: TestApp) => Promise<void>; started: (s: BrowserSuite) => void }): void {
  let s: Partial<BrowserSuite> = {};
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) return;
    await ensureClientBuilt();
    const t = await startTestApp('pglite', { SERVE_CLIENT: 'true', ...opts.env });
    s = { t };
    await opts.seed?.(t);
    await t.settle();
    s.browser = await launchBrowser();
    opts.started(s as BrowserSuite);
  }, 240_000);
  afterAll(async () => {
    await s.browser?.close();
    await s.t?.close();
  });
}
