/**
 * npm run bench [-- --sizes small,medium --runs 5 --stress]
 * Plans seeded scenarios of each size in a fresh process (so peak memory is that size's alone)
 * and prints solve time (median), peak memory and the plan's quality figures, so speed is never
 * bought with worse plans. Results go in docs/BENCHMARKS.md.
 *
 * npm run bench -- --cli [--cli-sizes 20k,40k,100k]
 * Runs the command-line planner (`npm run plan`) on scenario files of 20,000 to 100,000 tickets,
 * its output streamed to /dev/null, and reports wall time and peak memory of that process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { plan, type Plan, type ScenarioInput } from '../solver/index.ts';
import { BENCH_SIZES, CLI_SIZES, generateScenario, rng } from '../test/fixtures/generate-scenario.ts';
import { logOneHour, previousOf } from '../test/fixtures/small-change.ts';

type Size = keyof typeof BENCH_SIZES;

interface Result {
  size: Size;
  variables: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  peakRssMb: number;
  allocations: number;
  plannedHours: number;
  unplannedHours: number;
  shortfallHours: number;
  atRiskHours: number;
  rolloverHours: number;
  emergencyPlannedHours: number;
  emergencyUnplannedHours: number;
  /** Per kind of small change: mean and max share of (week, staff, ticket) rows that change. */
  churn: Record<ChangeKind, { rowsMean: number; rowsMax: number; hoursMean: number }>;
}

type ChangeKind = 'estimate' | 'entry' | 'ticket';
const CHANGES: ChangeKind[] = ['estimate', 'entry', 'ticket'];
const CHURN_PICKS = 5;

/** Rows keyed by (week, staff, ticket) or, without staff, by (week, ticket), with their hours. */
function rowHours(p: Plan, withStaff: boolean): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of p.allocations) {
    const k = withStaff ? `${a.week}|${a.staff}|${a.ticket}` : `${a.week}|${a.ticket}`;
    m.set(k, (m.get(k) ?? 0) + a.hours);
  }
  return m;
}

/** Share of the first plan's rows whose hours differ in the second (rows gone or new count too). */
function changedShare(a: Plan, b: Plan, withStaff: boolean): number {
  const ra = rowHours(a, withStaff);
  const rb = rowHours(b, withStaff);
  let changed = 0;
  for (const k of new Set([...ra.keys(), ...rb.keys()])) if (ra.get(k) !== rb.get(k)) changed++;
  return changed / Math.max(1, ra.size);
}

/**
 * Stability (issue 8): one small change touching one client's single ticket — an estimate + 1 h,
 * one hour logged this week, one new low-priority ticket — re-planned with the plan in force as
 * `previous`, as the server does; how many allocation rows change.
 */
function churn(s: ScenarioInput, base: Plan): Result['churn'] {
  const previous = previousOf(base);
  const r = rng(7);
  const out = {} as Result['churn'];
  for (const kind of CHANGES) {
    const rows: number[] = [];
    const hours: number[] = [];
    for (let i = 0; i < CHURN_PICKS; i++) {
      const changed: ScenarioInput = structuredClone(s);
      const normal = changed.tickets.filter((t) => t.priority === 3 && t.status !== 'closed' && !t.emergency);
      const t = normal[Math.floor(r() * normal.length)]!;
      if (kind === 'estimate') t.estimateHours += 1;
      if (kind === 'entry' && !logOneHour(changed, t, base)) continue;
      if (kind === 'ticket') changed.tickets.push({ id: `NEW-${i}`, client: t.client, priority: 4, estimateHours: 3, openedWeek: changed.quarter.currentWeek ?? 0 });
      const after = plan({ ...changed, previous });
      rows.push(changedShare(base, after, true));
      hours.push(changedShare(base, after, false));
    }
    const pct = (x: number) => Math.round(x * 1000) / 10;
    out[kind] = { rowsMean: pct(sum(rows) / rows.length), rowsMax: pct(Math.max(...rows)), hoursMean: pct(sum(hours) / hours.length) };
  }
  return out;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Under pressure: twice the work, five times the emergencies, mostly prepaid clients. */
const STRESS = { load: 2, emergencyShare: 0.05, prepaidShare: 0.9 };

function measure(size: Size, runs: number, seed: number, stress: boolean): Result {
  const s = generateScenario({ seed, ...BENCH_SIZES[size], ...(stress ? STRESS : {}) });
  const times: number[] = [];
  let last = plan(s); // warm-up, also the plan whose figures are reported
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = plan(s);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const emergencyIds = new Set(s.tickets.filter((t) => t.emergency).map((t) => t.id));
  const prepaid = last.clients.filter((c) => c.plan === 'prepaid');
  const b = BENCH_SIZES[size];
  return {
    size,
    variables: `${b.staff} / ${b.clients} / ${b.tickets}, K=${b.skills}`,
    medianMs: r1(times[Math.floor(times.length / 2)]!),
    minMs: r1(times[0]!),
    maxMs: r1(times.at(-1)!),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    allocations: last.allocations.length,
    plannedHours: r1(sum(last.allocations.map((a) => a.hours))),
    unplannedHours: r1(sum(last.unplanned.map((u) => u.hours))),
    shortfallHours: r1(sum(prepaid.map((c) => c.shortfallHours))),
    atRiskHours: r1(sum(prepaid.map((c) => c.atRiskHours))),
    rolloverHours: r1(sum(prepaid.map((c) => c.rolloverHours))),
    emergencyPlannedHours: r1(sum(last.allocations.filter((a) => emergencyIds.has(a.ticket)).map((a) => a.hours))),
    emergencyUnplannedHours: r1(sum(last.unplanned.filter((u) => emergencyIds.has(u.ticket)).map((u) => u.hours))),
    churn: churn(s, last),
  };
}

const { values } = parseArgs({
  options: {
    one: { type: 'string' },
    sizes: { type: 'string', default: Object.keys(BENCH_SIZES).join(',') },
    runs: { type: 'string', default: '7' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean' },
    stress: { type: 'boolean' },
    cli: { type: 'boolean' },
    'cli-sizes': { type: 'string', default: Object.keys(CLI_SIZES).join(',') },
  },
});

/** The command line on a scenario file: wall seconds and peak resident memory (GNU time). */
function cliRun(size: keyof typeof CLI_SIZES): { size: string; tickets: number; fileMb: number; wallS: number; peakRssMb: number; status: number | null } {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-cli-'));
  try {
    const file = join(dir, 'scenario.json');
    const text = JSON.stringify(generateScenario({ seed: Number(values.seed), ...CLI_SIZES[size] }));
    writeFileSync(file, text);
    const cli = join(import.meta.dirname, '..', 'solver', 'cli.ts');
    const child = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, '--import', 'tsx', cli, file], {
      stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe'],
      encoding: 'utf8',
    });
    const [wall, rssKb] = (child.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    return { size, tickets: CLI_SIZES[size].tickets, fileMb: Math.round(text.length / 1e5) / 10, wallS: wall ?? NaN, peakRssMb: Math.round((rssKb ?? NaN) / 1024), status: child.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.cli) {
  console.log('| tickets (staff / clients) | scenario file MB | wall s (target 100,000 < 20 s) | peak RSS MB (target < 2048) | exit |');
  console.log('|---|---|---|---|---|');
  for (const size of values['cli-sizes']!.split(',') as (keyof typeof CLI_SIZES)[]) {
    if (!(size in CLI_SIZES)) throw new Error(`unknown CLI size ${size}; sizes: ${Object.keys(CLI_SIZES).join(', ')}`);
    process.stderr.write(`command line, ${size} tickets…\n`);
    const r = cliRun(size);
    const c = CLI_SIZES[size];
    console.log(`| ${r.tickets} (${c.staff} / ${c.clients}) | ${r.fileMb} | ${r.wallS} | ${r.peakRssMb} | ${r.status} |`);
  }
} else if (values.one) {
  process.stdout.write(JSON.stringify(measure(values.one as Size, Number(values.runs), Number(values.seed), Boolean(values.stress))));
} else {
  const results: Result[] = [];
  for (const size of values.sizes!.split(',') as Size[]) {
    if (!(size in BENCH_SIZES)) throw new Error(`unknown size ${size}; sizes: ${Object.keys(BENCH_SIZES).join(', ')}`);
    const runs = size === 'xl' ? Math.min(Number(values.runs), 5) : Number(values.runs);
    process.stderr.write(`planning ${size} (${runs} runs)…\n`);
    const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--one', size, '--runs', String(runs), '--seed', values.seed!, ...(values.stress ? ['--stress'] : [])], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    if (child.status !== 0) throw new Error(`bench ${size} failed:\n${child.stderr}`);
    results.push(JSON.parse(child.stdout) as Result);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    console.log(`Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; seed ${values.seed}${values.stress ? `; under pressure ${JSON.stringify(STRESS)}` : ''}\n`);
    console.log('| size | staff / clients / tickets | median ms | min-max ms | peak RSS MB | allocations | planned h | unplanned h | shortfall h | at risk h | rollover h | emergency h planned / unplanned |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      console.log(
        `| ${r.size} | ${r.variables} | ${r.medianMs} | ${r.minMs}-${r.maxMs} | ${r.peakRssMb} | ${r.allocations} | ${r.plannedHours} | ${r.unplannedHours} | ${r.shortfallHours} | ${r.atRiskHours} | ${r.rolloverHours} | ${r.emergencyPlannedHours} / ${r.emergencyUnplannedHours} |`,
      );
    }
    console.log(`\nStability: share of (week, staff, ticket) rows that change after one small change, re-planned with the plan in force as previous (${CHURN_PICKS} picks each; mean / max; in brackets the share of (week, ticket) rows whose hours moved)\n`);
    console.log(`| size | ${CHANGES.map((k) => `${k} (mean / max [hours moved])`).join(' | ')} |`);
    console.log(`|---|${CHANGES.map(() => '---').join('|')}|`);
    for (const r of results) {
      console.log(`| ${r.size} | ${CHANGES.map((k) => `${r.churn[k].rowsMean} % / ${r.churn[k].rowsMax} % [${r.churn[k].hoursMean} %]`).join(' | ')} |`);
    }
  }
}
