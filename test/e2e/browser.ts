/**
 * Browser-test helpers: build the dashboard when client/dist is missing or stale, and start
 * Debian's Chromium through playwright-core (`npx playwright install` cannot download a browser
 * here). Without Chromium the browser suites skip, unless REQUIRE_BROWSER is set (CI sets it):
 * then importing this module fails them, so a run that lost its browser cannot pass.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
export const SCREENSHOTS = join(REPO, 'test-output', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (process.env.REQUIRE_BROWSER && !existsSync(CHROMIUM)) {
  throw new Error(`Chromium is required (REQUIRE_BROWSER is set) but not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`);
}

export { ensureClientBuilt } from '../../client/scripts/build-if-needed.ts';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

/** Counts painted pixels of every canvas on the page (0 for a blank chart). */
export async function paintedPixels(page: Page): Promise<number[]> {
  return page.$$eval('canvas', (canvases) =>
    canvases.map((c) => {
      const ctx = (c as HTMLCanvasElement).getContext('2d');
      if (!ctx || !c.width || !c.height) return 0;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    }),
  );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * '' where the page fits its width, else what sticks out: the page's scroll width and the
 * outermost elements whose right edge passes the window's (so a failure says what to fix).
 */
export const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width + 1) return '';
    const out: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right <= width + 1 || (el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1)) continue;
      out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')} right ${Math.round(r.right)} width ${Math.round(r.width)}`);
      if (out.length === 6) break;
    }
    return `scrollWidth ${document.documentElement.scrollWidth} > ${width}: ${out.join('; ')}`;
  });

/** A page's screenshots at 1440 px and at 820 px, where it must fit without a horizontal scroll. */
export async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await screenshot(page, `${name}-1440`);
  await page.setViewportSize({ width: 820, height: 1000 });
  // Layout settles after the resize (and any dialog closing); under CI load that can take over
  // the poll's default second, so wait longer before calling it a horizontal scroll.
  try {
    await expect.poll(() => overflow(page), { message: `${name} fits 820 px`, timeout: 10_000 }).toBe('');
  } catch (e) {
    await screenshot(page, `${name}-820-overflow`);
    throw e;
  }
  await screenshot(page, `${name}-820`);
  await page.setViewportSize({ width: 1440, height: 900 });
}
