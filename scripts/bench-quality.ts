/**
 * npm run bench:quality [-- --profiles normal,tight --sizes small,medium --seeds 1-3 --time-limit 120 --lp whole,week --json]
 *
 * Plans seeded quarters of every profile (test/fixtures/profiles.ts) and size with the engine
 * (`plan()`) and with two independent LP references on HiGHS (scripts/quality/): a whole-quarter
 * LP (lp-planner.ts), which trades hours across weeks, and a week-by-week LP (week-lp-planner.ts),
 * which follows DOMAIN.md's week order; `--lp` picks them (default both). It prints the quality
 * figures side by side, measured with one ruler, with the time of each, so speed is never bought
 * with worse plans. Results go in docs/BENCHMARKS.md. A bad option exits 2.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Plan, ScenarioInput } from '../solver/contract.ts';
import { plan } from '../solver/index.ts';
import { checkPlan } from '../test/solver/plan-checker.ts';
import { BENCH_SIZES, PROFILES, profileScenario, type Profile } from '../test/fixtures/profiles.ts';
import { planWithLp, type LpRun } from './quality/lp-planner.ts';
import { measurePlan, type Quality, type Violation } from './quality/measure.ts';
import { readQuarter } from './quality/quarter.ts';
import { planWeekByWeek } from './quality/week-lp-planner.ts';
import { loadHighs } from './quality/solve.ts';

type Size = 'small' | 'medium' | 'large';
const SIZES: readonly Size[] = ['small', 'medium', 'large'];
const seedRange = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** Seeds per size by default: 24 quarters per profile, 120 in all (a few minutes), fewer of the large ones. */
const DEFAULT_SEEDS: Record<Size, number[]> = { small: seedRange(12), medium: seedRange(8), large: seedRange(4) };
const ENGINE_RUNS = 5;
/**
 * Engine warm-up before anything is measured: V8 compiles plan()'s hot paths only after some
 * dozens of calls (a medium quarter's first call takes several times its 20th), and a server,
 * which re-plans on every change, runs them compiled. HiGHS is WebAssembly, compiled when loaded.
 */
const ENGINE_WARM_UP = 5;

type LpName = 'whole' | 'week';
const LP_NAMES: readonly LpName[] = ['whole', 'week'];
const LP_TITLE: Record<LpName, string> = { whole: 'whole-quarter', week: 'week-by-week' };
const LP_PLANNER: Record<LpName, typeof planWithLp> = { whole: planWithLp, week: planWeekByWeek };

interface Row {
  profile: Profile;
  size: Size;
  seed: number;
  engineMs: number;
  engineCpuMs: number;
  engine?: Quality;
  engineError?: string;
  /** The whole-quarter LP (names kept from before the week-by-week LP, for --json readers). */
  lp?: Omit<LpRun, 'plan'>;
  lpQuality?: Quality;
  weekLp?: Omit<LpRun, 'plan'>;
  weekLpQuality?: Quality;
}

const runOf = (r: Row, name: LpName) => (name === 'whole' ? r.lp : r.weekLp);
const qualityOf = (r: Row, name: LpName) => (name === 'whole' ? r.lpQuality : r.weekLpQuality);

/** A bad option: says which, exits 2. */
function usage(message: string): never {
  process.stderr.write(`bench:quality: ${message}\n`);
  process.exit(2);
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        profiles: { type: 'string', default: PROFILES.join(',') },
        sizes: { type: 'string', default: SIZES.join(',') },
        seeds: { type: 'string' },
        'time-limit': { type: 'string', default: '120' },
        lp: { type: 'string', default: LP_NAMES.join(',') },
        json: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
}
const values = parseOptions();

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const profiles = list(values.profiles!) as Profile[];
const sizes = list(values.sizes!) as Size[];
const lpNames = list(values.lp!) as LpName[];
for (const p of profiles) if (!PROFILES.includes(p)) usage(`--profiles: unknown profile ${p}; profiles: ${PROFILES.join(', ')}`);
for (const s of sizes) if (!SIZES.includes(s)) usage(`--sizes: unknown size ${s}; sizes: ${SIZES.join(', ')}`);
for (const l of lpNames) if (!LP_NAMES.includes(l)) usage(`--lp: unknown LP ${l}; LPs: ${LP_NAMES.join(', ')}`);
if (!profiles.length) usage('--profiles: no profile given');
if (!sizes.length) usage('--sizes: no size given');
if (!lpNames.length) usage('--lp: no LP given');
const lps = LP_NAMES.filter((l) => lpNames.includes(l));
/** "1-3,7" → [1, 2, 3, 7] */
const parseSeeds = (s: string) =>
  list(s).flatMap((part) => {
    if (!/^\d+(-\d+)?$/.test(part)) usage(`--seeds: '${part}' is not a seed or a range like 1-3`);
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    if (b !== undefined && b < a) usage(`--seeds: range ${part} runs backwards`);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
if (values.seeds !== undefined && !parseSeeds(values.seeds).length) usage('--seeds: no seed given');
const seedsFor = (size: Size) => (values.seeds ? parseSeeds(values.seeds) : DEFAULT_SEEDS[size]);
const timeLimit = Number(values['time-limit']);
if (!Number.isFinite(timeLimit) || timeLimit <= 0) usage(`--time-limit: '${values['time-limit']}' is not a number of seconds above 0`);

const quarters = profiles.flatMap((profile) => sizes.flatMap((size) => seedsFor(size).map((seed) => ({ profile, size, seed }))));

function check(s: ScenarioInput, p: Plan): { violations: Violation[]; error?: string } {
  try {
    return { violations: checkPlan(s, p) };
  } catch (e) {
    return { violations: [{ rule: 'checker-error', message: String(e) }], error: String(e) };
  }
}

const highs = await loadHighs();
// Warm-up (not measured): the first calls compile both planners' code paths; the engine's over
// quarters of every profile and the sizes asked for (seeds no measured quarter uses), the LPs' once.
{
  const s = profileScenario('normal', BENCH_SIZES.small, 999);
  for (const l of lps) LP_PLANNER[l](highs, s, timeLimit);
  const warm = profiles.flatMap((profile) => sizes.filter((size) => size !== 'large').map((size) => profileScenario(profile, BENCH_SIZES[size], 999)));
  for (let r = 0; r < ENGINE_WARM_UP; r++) for (const w of warm.length ? warm : [s]) plan(w);
}

const rows: Row[] = [];
const load: string[] = [os.loadavg().map((x) => x.toFixed(2)).join(' ')];
const started = performance.now();
quarters.forEach(({ profile, size, seed }, i) => {
  const s = profileScenario(profile, BENCH_SIZES[size], seed);
  const q = readQuarter(s);
  const row: Row = { profile, size, seed, engineMs: NaN, engineCpuMs: NaN };
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
  const lpText: string[] = [];
  for (const l of lps) {
    const { plan: lpPlan, ...lp } = LP_PLANNER[l](highs, s, timeLimit);
    const quality = lpPlan ? measurePlan(q, lpPlan, check(s, lpPlan).violations) : undefined;
    if (l === 'whole') [row.lp, row.lpQuality] = [lp, quality];
    else [row.weekLp, row.weekLpQuality] = [lp, quality];
    lpText.push(`${LP_TITLE[l]} LP ${lp.totalMs.toFixed(0)} ms (${lp.status})`);
  }
  rows.push(row);
  if (i % 10 === 9) load.push(os.loadavg().map((x) => x.toFixed(2)).join(' '));
  const elapsed = ((performance.now() - started) / 1000).toFixed(0);
  process.stderr.write(
    `quarter ${i + 1} of ${quarters.length}: ${profile} ${size} seed ${seed}: engine ${row.engineMs.toFixed(0)} ms${row.engineError ? ' (FAILED)' : ''}, ` +
      `${lpText.join(', ')} [${elapsed} s]\n`,
  );
});

if (values.json) {
  const plain = rows.map((r) => ({
    ...r,
    engine: r.engine && plainQuality(r.engine),
    lpQuality: r.lpQuality && plainQuality(r.lpQuality),
    weekLpQuality: r.weekLpQuality && plainQuality(r.weekLpQuality),
  }));
  process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
} else {
  printReport(rows);
}

function plainQuality(x: Quality) {
  return { ...x, violationRules: Object.fromEntries(x.violationRules) };
}

function printReport(all: Row[]): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const slash = (xs: string[]) => xs.join(' / ');
  const names = lps.map((l) => LP_TITLE[l]);
  console.log(`Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; HiGHS ${highs.version.string} (npm highs 1.15.3), time limit ${timeLimit} s`);
  console.log(`Load average (1/5/15 min) during the run, every 10 quarters: ${load.join(' → ')}`);
  console.log(
    `${all.length} quarters: ${describeSet(all)}; engine time = median of ${ENGINE_RUNS} plan() calls after ${ENGINE_WARM_UP} warm-up rounds over a quarter of each profile and size below large (seed 999, not measured), LP time = model build + solve + recovery (one run; the week-by-week LP's over all its weeks); ` +
      `times are wall clock, the ratio's CPU-time figure (this process's user + system time over the same calls) in parentheses. ` +
      `Figures: engine / ${slash(names)} LP.\n`,
  );
  const by = `engine / ${slash(names)}`;
  const dot = `engine · ${names.join(' · ')}`;
  const speedLp = lps[0]!;
  const targetNames = [...lps.map((l) => `rollover vs ${LP_TITLE[l]}`), '0 violations', `≥ 20× (${LP_TITLE[speedLp]})`];
  console.log(
    `| profile | quarters | shortfall h<br>${by} | rollover h<br>${by} | at risk h<br>${by} | emergency h planned / unplanned<br>${dot} | idle staff-weeks<br>${by} | checker violations engine | ` +
      `${names.map((n) => `checker violations ${n} LP`).join(' | ')} | time s<br>${by} | LP / engine<br>${names.join(' · ')} (CPU time) | targets: ${targetNames.join(' · ')} |`,
  );
  console.log(`|${'---|'.repeat(11 + lps.length)}`);
  const groups = [...profiles.map((p) => [p, all.filter((r) => r.profile === p)] as const), ['**all**', all] as const];
  for (const [name, group] of groups) console.log(tableRow(name, group));
  console.log('\nTime per size (median over the quarters of every profile; the week-by-week LP\'s columns, rows, runs and iterations are summed over its weeks):\n');
  console.log(
    `| size | quarters | LP columns / rows (median)<br>${names.join(' · ')} | HiGHS runs / simplex iterations (median)<br>${names.join(' · ')} | engine ms | ` +
      `${names.map((n) => `${n} LP ms: build + solve + recovery`).join(' | ')} | LP / engine<br>${names.join(' · ')} (CPU time) |`,
  );
  console.log(`|${'---|'.repeat(6 + lps.length)}`);
  for (const size of sizes) {
    const g = all.filter((r) => r.size === size && lps.every((l) => runOf(r, l)));
    if (!g.length) continue;
    const b = BENCH_SIZES[size];
    const med = (f: (r: Row) => number) => median(g.map(f));
    const m = (l: LpName, f: (run: Omit<LpRun, 'plan'>, r: Row) => number) => med((r) => f(runOf(r, l)!, r));
    console.log(
      `| ${size} ${b.staff} / ${b.clients} / ${b.tickets} | ${g.length} | ${lps.map((l) => `${m(l, (x) => x.size.columns)} / ${m(l, (x) => x.size.rows)}`).join(' · ')} | ` +
        `${lps.map((l) => `${m(l, (x) => x.solves)} / ${m(l, (x) => x.iterations)}`).join(' · ')} | ${r0(med((r) => r.engineMs))} | ` +
        `${lps.map((l) => `${r0(m(l, (x) => x.totalMs))}: ${r0(m(l, (x) => x.buildMs))} + ${r0(m(l, (x) => x.solveMs))} + ${r0(m(l, (x) => x.recoverMs))}`).join(' | ')} | ` +
        `${lps.map((l) => `${r1(m(l, (x, r) => x.totalMs / r.engineMs))}× (${r1(m(l, (x, r) => x.cpuMs / r.engineCpuMs))}×)`).join(' · ')} |`,
    );
  }
  const notes: string[] = [];
  for (const l of lps) {
    const timeouts = all.filter((r) => runOf(r, l)!.status !== 'optimal');
    if (timeouts.length) notes.push(`${LP_TITLE[l]} LP without an optimal plan (${timeouts.map((r) => `${r.profile} ${r.size} seed ${r.seed}: ${runOf(r, l)!.status} (${runOf(r, l)!.detail})`).join('; ')}): left out of every planner's quality figures.`);
  }
  const failed = all.filter((r) => r.engineError);
  if (failed.length) notes.push(`Engine failed on ${failed.map((r) => `${r.profile} ${r.size} seed ${r.seed}: ${r.engineError}`).join('; ')}.`);
  for (const l of lps) {
    const unrouted = all.reduce((h, r) => h + runOf(r, l)!.unroutedHours, 0);
    if (unrouted > 0) notes.push(`The ${LP_TITLE[l]} LP's recovery could not route ${unrouted} h it planned (expected 0).`);
  }
  for (const l of lps) {
    const gaps = all
      .filter((r) => r.engine && qualityOf(r, l))
      .map((r) => ({ r, gap: r.engine!.rolloverHours - qualityOf(r, l)!.rolloverHours }));
    const worst = [...gaps].sort((a, b) => b.gap - a.gap)[0];
    if (worst && worst.gap > 1) notes.push(`Largest rollover gap vs the ${LP_TITLE[l]} LP: ${worst.r.profile} ${worst.r.size} seed ${worst.r.seed}, engine ${r1(worst.r.engine!.rolloverHours)} h vs LP ${r1(qualityOf(worst.r, l)!.rolloverHours)} h.`);
    if (l !== 'week') continue;
    // The question the week-by-week LP is for: where does a rules-following plan roll less over?
    const describe = ({ r, gap }: { r: Row; gap: number }) => {
      const e = r.engine!.rolloverByClient;
      const k = qualityOf(r, l)!.rolloverByClient;
      const clients = [...new Set([...Object.keys(e), ...Object.keys(k)])]
        .map((c) => ({ c, d: (e[c] ?? 0) - (k[c] ?? 0) }))
        .filter((x) => Math.abs(x.d) >= 0.25)
        .sort((a, b) => Math.abs(b.d) - Math.abs(a.d) || a.c.localeCompare(b.c))
        .slice(0, 4)
        .map((x) => `${x.c} ${x.d > 0 ? '+' : ''}${r1(x.d)}`);
      return `${r.profile} ${r.size} seed ${r.seed} ${gap > 0 ? '+' : ''}${r1(gap)} h (engine ${r1(r.engine!.rolloverHours)}, week-by-week ${r1(qualityOf(r, l)!.rolloverHours)}; by client ${clients.join(', ') || '–'})`;
    };
    const more = gaps.filter((x) => x.gap >= 1).sort((a, b) => b.gap - a.gap);
    const less = gaps.filter((x) => x.gap <= -1).sort((a, b) => a.gap - b.gap);
    const same = gaps.length - more.length - less.length;
    notes.push(
      `Engine vs week-by-week LP rollover, per quarter: ${more.length} quarters where the engine rolls ≥ 1 h more, ${less.length} where it rolls ≥ 1 h less, ${same} within 1 h.` +
        (more.length ? ` Engine more: ${more.slice(0, 10).map(describe).join('; ')}${more.length > 10 ? '; …' : ''}.` : '') +
        (less.length ? ` Engine less: ${less.slice(0, 10).map(describe).join('; ')}${less.length > 10 ? '; …' : ''}.` : ''),
    );
  }
  if (notes.length) console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
}

function tableRow(name: string, group: readonly Row[]): string {
  const ok = group.filter((r) => r.engine && lps.every((l) => qualityOf(r, l)));
  const sides: ((r: Row) => Quality)[] = [(r) => r.engine!, ...lps.map((l) => (r: Row) => qualityOf(r, l)!)];
  const sum = (f: (x: Quality) => number, side: (r: Row) => Quality) => ok.reduce((h, r) => h + f(side(r)), 0);
  const all = (f: (x: Quality) => number) => sides.map((side) => r1(sum(f, side))).join(' / ');
  const em = sides.map((side) => `${r1(sum((x) => x.emergencyPlannedHours, side))} / ${r1(sum((x) => x.emergencyUnplannedHours, side))}`).join(' · ');
  const engineMs = group.reduce((h, r) => h + r.engineMs, 0);
  const engineCpu = group.reduce((h, r) => h + r.engineCpuMs, 0);
  const lpMs = (l: LpName) => group.reduce((h, r) => h + runOf(r, l)!.totalMs, 0);
  const ratio = (l: LpName) => lpMs(l) / engineMs;
  const cpuRatio = (l: LpName) => group.reduce((h, r) => h + runOf(r, l)!.cpuMs, 0) / engineCpu;
  const rollE = sum((x) => x.rolloverHours, sides[0]!);
  const violE = sum((x) => x.violations, sides[0]!);
  const mark = (t: boolean) => (t ? '✓' : '✗');
  const targets = [
    ...lps.map((l, i) => `vs ${LP_TITLE[l]} ${mark(rollE <= sum((x) => x.rolloverHours, sides[i + 1]!) * 1.01 + 1)}`),
    mark(violE === 0 && group.every((r) => !r.engineError)),
    mark(ratio(lps[0]!) >= 20),
  ].join(' · ');
  const skipped = group.length - ok.length;
  return (
    `| ${name} | ${ok.length}${skipped ? ` (+${skipped} left out)` : ''} | ${all((x) => x.shortfallHours)} | ${all((x) => x.rolloverHours)} | ${all((x) => x.atRiskHours)} | ${em} | ${all((x) => x.idleStaffWeeks)} | ` +
    `${[(r: Row) => r.engine!, ...lps.map((l) => (r: Row) => qualityOf(r, l)!)].map((side) => violations(ok, side)).join(' | ')} | ` +
    `${[r1(engineMs / 1000), ...lps.map((l) => r1(lpMs(l) / 1000))].join(' / ')} | ${lps.map((l) => `${r1(ratio(l))}× (${r1(cpuRatio(l))}×)`).join(' · ')} | ${targets} |`
  );
}

function violations(group: readonly Row[], side: (r: Row) => Quality): string {
  const rules = new Map<string, number>();
  for (const r of group) for (const [rule, n] of side(r).violationRules) rules.set(rule, (rules.get(rule) ?? 0) + n);
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
