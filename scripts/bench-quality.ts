/**
 * npm run bench:quality [-- --profiles normal,tight --sizes small,medium --seeds 1-3 --time-limit 120 --json]
 *
 * Plans seeded quarters of every profile (test/fixtures/profiles.ts) and size with the engine
 * (`plan()`) and with an independent whole-quarter LP on HiGHS (scripts/quality/), and prints the
 * quality figures of both side by side, measured with one ruler, with the time of each, so speed
 * is never bought with worse plans. Results go in docs/BENCHMARKS.md.
 */
import * as highsModule from 'highs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Plan, ScenarioInput } from '../solver/contract.ts';
import { plan } from '../solver/index.ts';
import { checkPlan } from '../test/solver/plan-checker.ts';
import { BENCH_SIZES, PROFILES, profileScenario, type Profile } from '../test/fixtures/profiles.ts';
import { planWithLp, type LpRun } from './quality/lp-planner.ts';
import { measurePlan, type Quality, type Violation } from './quality/measure.ts';
import { readQuarter } from './quality/quarter.ts';

type Size = 'small' | 'medium' | 'large';
const SIZES: readonly Size[] = ['small', 'medium', 'large'];
const seedRange = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** Seeds per size by default: 24 quarters per profile, 120 in all (a few minutes), fewer of the large ones. */
const DEFAULT_SEEDS: Record<Size, number[]> = { small: seedRange(12), medium: seedRange(8), large: seedRange(4) };
const ENGINE_RUNS = 3;

interface Row {
  profile: Profile;
  size: Size;
  seed: number;
  engineMs: number;
  engineCpuMs: number;
  engine?: Quality;
  engineError?: string;
  lp: Omit<LpRun, 'plan'>;
  lpQuality?: Quality;
}

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: PROFILES.join(',') },
    sizes: { type: 'string', default: SIZES.join(',') },
    seeds: { type: 'string' },
    'time-limit': { type: 'string', default: '120' },
    json: { type: 'boolean' },
  },
});

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const profiles = list(values.profiles!) as Profile[];
const sizes = list(values.sizes!) as Size[];
for (const p of profiles) if (!PROFILES.includes(p)) throw new Error(`unknown profile ${p}; profiles: ${PROFILES.join(', ')}`);
for (const s of sizes) if (!SIZES.includes(s)) throw new Error(`unknown size ${s}; sizes: ${SIZES.join(', ')}`);
/** "1-3,7" → [1, 2, 3, 7] */
const parseSeeds = (s: string) =>
  list(s).flatMap((part) => {
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
const seedsFor = (size: Size) => (values.seeds ? parseSeeds(values.seeds) : DEFAULT_SEEDS[size]);
const timeLimit = Number(values['time-limit']);

const quarters = profiles.flatMap((profile) => sizes.flatMap((size) => seedsFor(size).map((seed) => ({ profile, size, seed }))));

function check(s: ScenarioInput, p: Plan): { violations: Violation[]; error?: string } {
  try {
    return { violations: checkPlan(s, p) };
  } catch (e) {
    return { violations: [{ rule: 'checker-error', message: String(e) }], error: String(e) };
  }
}

// highs ships one declaration file, read as CommonJS under NodeNext, so TypeScript puts the
// loader one `default` deeper than the ES build that Node loads has it.
const loadHighs = highsModule.default as unknown as typeof highsModule.default.default;
const highs = await loadHighs();
// Warm-up (not measured): the first calls compile both planners' code paths.
{
  const s = profileScenario('normal', BENCH_SIZES.small, 999);
  plan(s);
  planWithLp(highs, s, timeLimit);
}

const rows: Row[] = [];
const load: string[] = [os.loadavg().map((x) => x.toFixed(2)).join(' ')];
const started = performance.now();
quarters.forEach(({ profile, size, seed }, i) => {
  const s = profileScenario(profile, BENCH_SIZES[size], seed);
  const q = readQuarter(s);
  const row: Row = { profile, size, seed, engineMs: NaN, engineCpuMs: NaN, lp: undefined as unknown as Row['lp'] };
  try {
    const times: number[] = [];
    const cpu: number[] = [];
    let p: Plan | undefined;
    for (let r = 0; r < ENGINE_RUNS; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      p = plan(s);
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    row.engineMs = median(times);
    row.engineCpuMs = median(cpu);
    row.engine = measurePlan(q, p!, check(s, p!).violations);
  } catch (e) {
    row.engineError = String(e);
  }
  const { plan: lpPlan, ...lp } = planWithLp(highs, s, timeLimit);
  row.lp = lp;
  if (lpPlan) row.lpQuality = measurePlan(q, lpPlan, check(s, lpPlan).violations);
  rows.push(row);
  if (i % 10 === 9) load.push(os.loadavg().map((x) => x.toFixed(2)).join(' '));
  const elapsed = ((performance.now() - started) / 1000).toFixed(0);
  process.stderr.write(
    `quarter ${i + 1} of ${quarters.length}: ${profile} ${size} seed ${seed}: engine ${row.engineMs.toFixed(0)} ms${row.engineError ? ' (FAILED)' : ''}, ` +
      `LP ${lp.totalMs.toFixed(0)} ms (${lp.status}) [${elapsed} s]\n`,
  );
});

if (values.json) {
  const plain = rows.map((r) => ({ ...r, engine: r.engine && plainQuality(r.engine), lpQuality: r.lpQuality && plainQuality(r.lpQuality) }));
  process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
} else {
  printReport(rows);
}

function plainQuality(x: Quality) {
  return { ...x, violationRules: Object.fromEntries(x.violationRules) };
}

function printReport(all: Row[]): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; HiGHS ${highs.version.string} (npm highs 1.15.3), time limit ${timeLimit} s`);
  console.log(`Load average (1/5/15 min) during the run, every 10 quarters: ${load.join(' → ')}`);
  console.log(
    `${all.length} quarters: ${describeSet(all)}; engine time = median of ${ENGINE_RUNS} plan() calls, LP time = model build + solve + recovery (one run); ` +
      `times are wall clock, the ratio's CPU-time figure (this process's user + system time over the same calls) in parentheses.\n`,
  );
  console.log('| profile | quarters | shortfall h<br>engine / LP | rollover h<br>engine / LP | at risk h<br>engine / LP | emergency h planned / unplanned<br>engine · LP | idle staff-weeks<br>engine / LP | checker violations engine | checker violations LP | time s<br>engine / LP | LP / engine<br>(CPU time) | targets: rollover · 0 violations · ≥ 20× |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  const groups = [...profiles.map((p) => [p, all.filter((r) => r.profile === p)] as const), ['**all**', all] as const];
  for (const [name, group] of groups) console.log(tableRow(name, group));
  console.log('\nTime per size (median over the quarters of every profile):\n');
  console.log('| size | quarters | LP columns / rows (median) | HiGHS runs / simplex iterations (median) | engine ms | LP ms: build + solve + recovery | LP / engine (CPU time) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const size of sizes) {
    const g = all.filter((r) => r.size === size && r.lp);
    if (!g.length) continue;
    const b = BENCH_SIZES[size];
    const med = (f: (r: Row) => number) => median(g.map(f));
    console.log(
      `| ${size} ${b.staff} / ${b.clients} / ${b.tickets} | ${g.length} | ${med((r) => r.lp.size.columns)} / ${med((r) => r.lp.size.rows)} | ${med((r) => r.lp.solves)} / ${med((r) => r.lp.iterations)} | ` +
        `${r0(med((r) => r.engineMs))} | ${r0(med((r) => r.lp.totalMs))}: ${r0(med((r) => r.lp.buildMs))} + ${r0(med((r) => r.lp.solveMs))} + ${r0(med((r) => r.lp.recoverMs))} | ` +
        `${r1(med((r) => r.lp.totalMs / r.engineMs))}× (${r1(med((r) => r.lp.cpuMs / r.engineCpuMs))}×) |`,
    );
  }
  const notes: string[] = [];
  const timeouts = all.filter((r) => r.lp.status !== 'optimal');
  if (timeouts.length) notes.push(`LP without an optimal plan (${timeouts.map((r) => `${r.profile} ${r.size} seed ${r.seed}: ${r.lp.status} (${r.lp.detail})`).join('; ')}): left out of both planners' quality figures.`);
  const failed = all.filter((r) => r.engineError);
  if (failed.length) notes.push(`Engine failed on ${failed.map((r) => `${r.profile} ${r.size} seed ${r.seed}: ${r.engineError}`).join('; ')}.`);
  const unrouted = all.reduce((h, r) => h + r.lp.unroutedHours, 0);
  if (unrouted > 0) notes.push(`The LP's recovery could not route ${unrouted} h it planned (expected 0).`);
  const worst = all
    .filter((r) => r.engine && r.lpQuality)
    .map((r) => ({ r, gap: r.engine!.rolloverHours - r.lpQuality!.rolloverHours }))
    .sort((a, b) => b.gap - a.gap)[0];
  if (worst && worst.gap > 1) notes.push(`Largest rollover gap: ${worst.r.profile} ${worst.r.size} seed ${worst.r.seed}, engine ${r1(worst.r.engine!.rolloverHours)} h vs LP ${r1(worst.r.lpQuality!.rolloverHours)} h.`);
  if (notes.length) console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
}

function tableRow(name: string, group: readonly Row[]): string {
  const ok = group.filter((r) => r.engine && r.lpQuality);
  const sum = (f: (x: Quality) => number, side: 'engine' | 'lpQuality') => ok.reduce((h, r) => h + f(r[side]!), 0);
  const pair = (f: (x: Quality) => number) => `${r1(sum(f, 'engine'))} / ${r1(sum(f, 'lpQuality'))}`;
  const em = (side: 'engine' | 'lpQuality') => `${r1(sum((x) => x.emergencyPlannedHours, side))} / ${r1(sum((x) => x.emergencyUnplannedHours, side))}`;
  const engineMs = group.reduce((h, r) => h + r.engineMs, 0);
  const lpMs = group.reduce((h, r) => h + r.lp.totalMs, 0);
  const ratio = lpMs / engineMs;
  const cpuRatio = group.reduce((h, r) => h + r.lp.cpuMs, 0) / group.reduce((h, r) => h + r.engineCpuMs, 0);
  const rollE = sum((x) => x.rolloverHours, 'engine');
  const rollL = sum((x) => x.rolloverHours, 'lpQuality');
  const violE = sum((x) => x.violations, 'engine');
  const targets = [rollE <= rollL * 1.01 + 1, violE === 0 && group.every((r) => !r.engineError), ratio >= 20].map((t) => (t ? '✓' : '✗')).join(' · ');
  const skipped = group.length - ok.length;
  return `| ${name} | ${ok.length}${skipped ? ` (+${skipped} left out)` : ''} | ${pair((x) => x.shortfallHours)} | ${pair((x) => x.rolloverHours)} | ${pair((x) => x.atRiskHours)} | ${em('engine')} · ${em('lpQuality')} | ${pair((x) => x.idleStaffWeeks)} | ${violations(ok, 'engine')} | ${violations(ok, 'lpQuality')} | ${r1(engineMs / 1000)} / ${r1(lpMs / 1000)} | ${r1(ratio)}× (${r1(cpuRatio)}×) | ${targets} |`;
}

function violations(group: readonly Row[], side: 'engine' | 'lpQuality'): string {
  const rules = new Map<string, number>();
  for (const r of group) for (const [rule, n] of r[side]!.violationRules) rules.set(rule, (rules.get(rule) ?? 0) + n);
  const total = [...rules.values()].reduce((a, b) => a + b, 0);
  if (!total) return '0';
  const top = [...rules].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
  return `${total}: ${top.map(([rule, n]) => `${rule} ${n}`).join(', ')}`;
}

function describeSet(all: readonly Row[]): string {
  return sizes
    .map((size) => {
      const seeds = [...new Set(all.filter((r) => r.size === size).map((r) => r.seed))];
      return seeds.length ? `${size} seeds ${seeds.join(',')}` : '';
    })
    .filter(Boolean)
    .join(', ') + ` × profiles ${profiles.join(', ')}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}
function r0(x: number): number {
  return Math.round(x);
}
function r1(x: number): number {
  return Math.round(x * 10) / 10;
}
