/**
 * `npm start` passes the signal on: stopped with SIGTERM (a supervisor, `kill`) or Ctrl-C (SIGINT
 * to the terminal's process group), the server itself stops and frees its port. Before, npm ran
 * `sh -c "tsx server/main.ts"` and tsx ran node: a SIGTERM ended npm and sh and left the server
 * running on the port. The start script now execs node itself.
 * `--ignore-scripts` leaves out prestart (the dashboard build, which the browser tests own).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** This environment without DATABASE_URL: the embedded database a fresh machine gets. */
const embedded = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL'));

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });

const healthy = async (port: number) => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
};

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start', () => {
  it.each([
    ['SIGTERM to npm', 'npm' as const],
    ['Ctrl-C (SIGINT to the process group)', 'group' as const],
  ])('stops the server and frees the port on %s', async (_, target) => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'hg-npm-start-'));
    dirs.push(dir);
    const npm = spawn('npm', ['start', '--ignore-scripts', '--silent'], {
      cwd: ROOT,
      detached: true, // its own process group, as a terminal's foreground job is
      env: { ...embedded(), PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, DEMO: 'off', SERVE_CLIENT: 'false', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    try {
      await until(() => healthy(port), 60_000, 'the server did not answer /api/health');
      if (target === 'npm') npm.kill('SIGTERM');
      else process.kill(-npm.pid!, 'SIGINT');
      await until(async () => !(await healthy(port)), 15_000, 'the server still answers after the signal');
      // Nothing of the group is left: the server process has exited too.
      await until(
        async () => {
          try {
            process.kill(-npm.pid!, 0);
            return false;
          } catch {
            return true;
          }
        },
        15_000,
        'a process of npm start is still running',
      );
      expect(await healthy(port)).toBe(false);
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }, 120_000);
});
