// @vitest-environment node
/**
 * A CI run without PostgreSQL or Chromium fails instead of passing with those suites skipped:
 * with REQUIRE_POSTGRES or REQUIRE_BROWSER set (.ci/run sets both), asking whether PostgreSQL
 * answers, or loading the browser tests' launcher, is an error when it is missing. Without them
 * a developer's machine still skips what it cannot run.
 *
 * The reproduction: the multi-instance and two-instance socket suites skipped under
 * REQUIRE_POSTGRES, and the browser suites skipped whatever CI asked.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
const NO_POSTGRES = 'postgresql://postgres@127.0.0.1:1/postgres';

/** Runs a module snippet in a fresh Node (with tsx), with only the given test variables set. */
function run(code: string, env: Record<string, string>): { status: number | null; output: string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['REQUIRE_POSTGRES', 'REQUIRE_BROWSER', 'CI', 'TEST_DB', 'TEST_PG_URL', 'CHROMIUM_PATH'].includes(k)));
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO, env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const askPostgres = `const { postgresReachable } = await import('./test/utils/test-app.ts'); console.log('reachable:', await postgresReachable());`;
const loadLauncher = `await import('./test/e2e/browser.ts'); console.log('loaded');`;

describe('suites that need PostgreSQL or Chromium', () => {
  it('fail without PostgreSQL when REQUIRE_POSTGRES is set, and skip without it', () => {
    const required = run(askPostgres, { TEST_PG_URL: NO_POSTGRES, REQUIRE_POSTGRES: '1' });
    expect(required.status).not.toBe(0);
    expect(required.output).toContain('PostgreSQL is required (REQUIRE_POSTGRES is set)');
    const optional = run(askPostgres, { TEST_PG_URL: NO_POSTGRES });
    expect(optional.status, optional.output).toBe(0);
    expect(optional.output).toContain('reachable: false');
  }, 90_000);

  it('fail without Chromium when REQUIRE_BROWSER is set, and skip without it', () => {
    const required = run(loadLauncher, { CHROMIUM_PATH: '/nonexistent/chromium', REQUIRE_BROWSER: '1' });
    expect(required.status).not.toBe(0);
    expect(required.output).toContain('Chromium is required (REQUIRE_BROWSER is set)');
    const optional = run(loadLauncher, { CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(optional.status, optional.output).toBe(0);
    expect(optional.output).toContain('loaded');
  }, 90_000);

  it('are required by CI', () => {
    const ci = readFileSync(join(REPO, '.ci', 'run'), 'utf8');
    const exported = ci.match(/^export (.*REQUIRE_POSTGRES.*)$/m)?.[1] ?? '';
    expect(exported.split(/\s+/)).toEqual(expect.arrayContaining(['REQUIRE_POSTGRES=1', 'REQUIRE_BROWSER=1']));
    expect(ci.indexOf(exported)).toBeLessThan(ci.indexOf('npm test'));
  });
});
