/**
 * npm run check:sweep [-- --seeds 1000-2500 --changes --sizes wide,medium,large]
 *
 * The independent plan checker (test/solver/plan-checker.ts) over many more generated quarters
 * than the property tests run, on seeds they do not use: every profile of
 * test/fixtures/profiles.ts, and adversarial corners. With `--changes`, every third seed's
 * profile quarters are also re-planned after one small change (an estimate + 1 h, an hour logged
 * this week, a new ticket, a pin), with the plan in force as `previous`, as the server does.
 * Sizes: `wide` draws 2-10 staff, 2-26 clients and 5-300 tickets per quarter (plus one
 * adversarial quarter per seed); `medium` and `large` are the bench sizes (BENCH_SIZES), each with
 * one changed re-plan. Prints one line per failing quarter, with the call that rebuilds it, and a
 * summary; exits 1 when any quarter fails, 2 on a bad option.
 */
import { parseArgs } from 'node:util';
import { plan, type ScenarioInput } from '../solver/index.ts';
import { adversarialScenario } from '../test/fixtures/adversarial-scenario.ts';
import { rng } from '../test/fixtures/generate-scenario.ts';
import { BENCH_SIZES, PROFILES, profileScenario } from '../test/fixtures/profiles.ts';
import { checkPlan } from '../test/solver/plan-checker.ts';
import { logOneHour, previousOf } from '../test/fixtures/small-change.ts';

type SweepSize = 'wide' | 'medium' | 'large';
const SIZES: readonly SweepSize[] = ['wide', 'medium', 'large'];

function usage(message: string): never {
  process.stderr.write(`check:sweep: ${message}\nusage: npm run check:sweep -- [--seeds 1000-2500] [--changes] [--sizes ${SIZES.join(',')}]\n`);
  process.exit(2);
}

let values: { seeds?: string; changes?: boolean; sizes?: string };
try {
  values = parseArgs({ options: { seeds: { type: 'string', default: '1000-1200' }, changes: { type: 'boolean', default: false }, sizes: { type: 'string', default: 'wide' } } }).values;
} catch (e) {
  usage((e as Error).message);
}
const range = /^(\d+)-(\d+)$/.exec(values.seeds!);
if (!range || Number(range[2]) < Number(range[1])) usage(`--seeds: '${values.seeds}' is not a range like 1000-2500`);
const [from, to] = [Number(range[1]), Number(range[2])];
const sizes = values.sizes!.split(',').map((x) => x.trim()).filter(Boolean) as SweepSize[];
if (!sizes.length) usage('--sizes: no size given');
for (const s of sizes) if (!SIZES.includes(s)) usage(`--sizes: unknown size ${s}; sizes: ${SIZES.join(', ')}`);

let quarters = 0;
let failed = 0;
const byRule = new Map<string, number>();

function run(label: string, s: ScenarioInput): void {
  quarters++;
  let violations;
  try {
    violations = checkPlan(s, plan(s));
  } catch (e) {
    failed++;
    console.log(`${label}: plan threw ${(e as Error).message}`);
    return;
  }
  if (!violations.length) return;
  failed++;
  for (const r of new Set(violations.map((v) => v.rule))) byRule.set(r, (byRule.get(r) ?? 0) + 1);
  console.log(`${label}: ${violations.length} violations: ${violations.slice(0, 2).map((v) => `[${v.rule}] ${v.message}`).join(' | ')}`);
}

type Change = 'estimate' | 'entry' | 'ticket' | 'pin';

/** The scenario after one small change, with its plan in force as `previous`; null where the change does not apply. */
function changed(s: ScenarioInput, kind: Change, seed: number): ScenarioInput | null {
  const base = plan(s);
  const r = rng(seed * 7 + kind.length);
  const c: ScenarioInput = structuredClone(s);
  const open = c.tickets.filter((t) => t.status !== 'closed');
  const t = open[Math.floor(r() * open.length)];
  if (!t) return null;
  const week = c.quarter.currentWeek ?? 0;
  if (kind === 'estimate') t.estimateHours += 1;
  if (kind === 'entry' && !logOneHour(c, t, base)) return null;
  if (kind === 'ticket') c.tickets.push({ id: `NEW-${seed}`, client: t.client, priority: (1 + Math.floor(r() * 4)) as 1 | 2 | 3 | 4, estimateHours: 3, openedWeek: week });
  if (kind === 'pin') {
    const a = base.allocations[Math.floor(r() * base.allocations.length)];
    if (!a) return null;
    const other = c.staff[Math.floor(r() * c.staff.length)]!;
    // Often more than the row held, sometimes another person or the next week: pins that cannot hold in full too.
    c.pins = [...(c.pins ?? []), { ticket: a.ticket, staff: r() < 0.5 ? a.staff : other.id, week: a.week + (r() < 0.3 ? 1 : 0), hours: Math.round(r() * 8) * 0.5 + 0.5 }];
  }
  c.previous = previousOf(base);
  return c;
}

const CHANGES: Change[] = ['estimate', 'entry', 'ticket', 'pin'];
const started = performance.now();
for (let seed = from; seed <= to; seed++) {
  for (const size of sizes) {
    for (const profile of PROFILES) {
      let quarterSize;
      let label: string;
      if (size === 'wide') {
        const r = rng(seed * 977 + profile.length * 13);
        quarterSize = { staff: 2 + Math.floor(r() * 9), clients: 2 + Math.floor(r() * 25), tickets: Math.round(5 * Math.pow(60, r())) };
        label = `profileScenario('${profile}', ${JSON.stringify(quarterSize)}, ${seed})`;
      } else {
        quarterSize = BENCH_SIZES[size];
        label = `profileScenario('${profile}', BENCH_SIZES.${size}, ${seed})`;
      }
      const s = profileScenario(profile, quarterSize, seed);
      run(label, s);
      const kinds = size === 'wide' ? (values.changes && seed % 3 === 0 ? CHANGES : []) : values.changes ? [CHANGES[seed % CHANGES.length]!] : [];
      for (const kind of kinds) {
        const c = changed(s, kind, seed);
        if (c) run(`${label} after one change (${kind}) with previous`, c);
      }
    }
    if (size === 'wide') run(`adversarialScenario({ seed: ${seed + 100000} })`, adversarialScenario({ seed: seed + 100000 }));
  }
  if ((seed - from) % 100 === 99) process.stderr.write(`seeds ${from}-${seed} of ${from}-${to}: ${quarters} quarters, ${failed} failing [${((performance.now() - started) / 1000).toFixed(0)} s]\n`);
}
const rules = [...byRule].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ');
console.log(`${quarters} quarters (seeds ${from}-${to}, ${sizes.join(', ')}${values.changes ? ', with changes' : ''}): ${failed} failing${rules ? ` (quarters per rule: ${rules})` : ''}`);
process.exit(failed ? 1 : 0);
