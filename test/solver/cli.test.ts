/** The command-line planner: JSON (and nothing else) on stdout, exit 2 with a reason on bad input. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../solver/index.ts';

const EXAMPLE = join(import.meta.dirname, '../fixtures/examples/emergency-rollover.json');
const exampleText = readFileSync(EXAMPLE, 'utf8');
const root = join(import.meta.dirname, '../..');

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'solver/cli.ts', ...args], { cwd: root, input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run plan', () => {
  it('prints the plan JSON for a scenario file, the same plan as the library', () => {
    const r = run([EXAMPLE]);
    expect(r.status).toBe(0);
    const { stats: _a, ...fromCli } = JSON.parse(r.stdout);
    const { stats: _b, ...fromLib } = plan(JSON.parse(exampleText));
    expect(fromCli).toEqual(JSON.parse(JSON.stringify(fromLib)));
  });

  it('reads standard input with -', () => {
    const r = run(['-'], exampleText);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).quarter.id).toBe('2026-Q4');
  });

  it('prints only JSON on stdout through npm run as well', () => {
    const r = spawnSync('npm', ['run', 'plan', '--', EXAMPLE], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it('--summary prints a table per client and per week', () => {
    const r = run([EXAMPLE, '--summary']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/harbor\s+prepaid\s+4\s+8\s+4\s+0\s+4\s+0/);
    expect(r.stdout).toMatch(/12\s+20\s+20\s+0\s+20/);
  });

  it('exits 2 naming the field for a bad scenario, with nothing on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    const file = join(dir, 'bad.json');
    const s = JSON.parse(exampleText);
    s.clients[0].purchases[0].hours = 10;
    writeFileSync(file, JSON.stringify(s));
    const r = run([file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('clients[0].purchases[0].hours: a block is at least 20 hours');
  });

  it('exits 2 for a missing file, invalid JSON or no argument', () => {
    expect(run(['/nonexistent/scenario.json'])).toMatchObject({ status: 2, stdout: '' });
    expect(run(['/nonexistent/scenario.json']).stderr).toContain('no such file');
    const bad = run(['-'], '{ not json');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not valid JSON');
    expect(run([]).status).toBe(2);
  });
});
