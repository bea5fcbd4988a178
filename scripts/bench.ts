/**
 * npm run bench [-- --sizes small,medium --runs 5 --stress]
 * Plans seeded scenarios of each size in a fresh process (so peak memory is that size's alone)
 * and prints solve time (median), peak memory and the plan's quality figures, so speed is never
 * bought with worse plans. Results go in docs/BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { plan } from '../solver/index.ts';
import { BENCH_SIZES, generateScenario } from '../test/fixtures/generate-scenario.ts';

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
  },
});

if (values.one) {
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
  }
}
