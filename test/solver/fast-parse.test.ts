/**
 * The scenario schema's fast path (solver/fast-parse.ts) against zod: on generated scenarios and
 * thousands of broken ones, whenever the fast path answers, zod accepts the same scenario and
 * gives the same output, field for field and in the same order; and it answers for every
 * scenario the generators make (else it would gain nothing).
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fastParse, smallParsers } from '../../solver/fast-parse.ts';
import { scenarioSchema } from '../../solver/validate.ts';
import { adversarialScenario } from '../fixtures/adversarial-scenario.ts';
import { generateScenario, rng } from '../fixtures/generate-scenario.ts';
import { PROFILES, profileScenario } from '../fixtures/profiles.ts';
import example from '../fixtures/examples/emergency-rollover.json' with { type: 'json' };

const SMALL = smallParsers(scenarioSchema.shape.quarter, scenarioSchema.shape.policy);

/** Every key path in order, with where a key is present as undefined (JSON would hide it). */
function shape(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return [`${at}[${v.length}]`, ...v.flatMap((x, i) => shape(x, `${at}[${i}]`))];
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => [`${at}.${k}${x === undefined ? '=undefined' : ''}`, ...shape(x, `${at}.${k}`)]);
  return [];
}

/** Null when the fast path passes; otherwise what went wrong. */
function disagreement(input: unknown): string | null {
  const fast = fastParse(input, SMALL);
  if (fast === null) return null;
  const zod = scenarioSchema.safeParse(input);
  if (!zod.success) return `fast path accepted what zod refuses: ${zod.error.issues[0]?.message} at ${zod.error.issues[0]?.path.join('.')}`;
  if (!isDeepStrictEqual(fast, zod.data)) return 'outputs differ';
  const a = shape(fast);
  const b = shape(zod.data);
  if (a.join('\n') !== b.join('\n')) return `field order differs: ${a.find((x, i) => x !== b[i])}`;
  if (!Object.is(JSON.stringify(fast), JSON.stringify(zod.data))) return 'JSON differs';
  return null;
}

const valid = (): unknown[] => [
  example,
  ...PROFILES.flatMap((p) => [1, 2, 3].map((seed) => profileScenario(p, { staff: 6, clients: 10, tickets: 60, skills: 3 }, seed))),
  ...Array.from({ length: 60 }, (_, i) => adversarialScenario({ seed: i + 1 })),
  generateScenario({ seed: 5, staff: 4, clients: 5, tickets: 30, pinShare: 0.2, currentWeek: 3 }),
];

const ODD_VALUES: unknown[] = [
  undefined, null, '', ' ', 'x', ' T-1', 'T-1 ', 'T-1', 'open', 'closed', 'prepaid', 'payg', 'urgent-above-rate', '2026-09-28', '2026-02-30',
  'a'.repeat(101), 'a'.repeat(201), 'a'.repeat(501), -1, -0, 0, 0.1, 0.25, 0.3, 1, 1.5, 2, 3, 4, 5, 6, 19.75, 20, 26, 27, 28, 168, 168.25,
  100_000, 100_000.25, 1e300, -1e300, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, true, false, [], [1], [0.25, -1], ['a', ' b'], {}, { '1': 2 },
  { x: 1 }, { '1': 0.1 }, 'null-prototype', 'date', 'inherited',
];
/** A fresh copy of an odd value (one object placed twice could make a cycle). */
function odd(v: unknown): unknown {
  if (v === 'null-prototype') return Object.assign(Object.create(null), { '2': 4 });
  if (v === 'date') return new Date(0);
  if (v === 'inherited') return Object.create({ inherited: 1 });
  return typeof v === 'object' && v !== null ? structuredClone(v) : v;
}

/** Every (object, key) in a scenario, with the keys the schema knows added as candidates. */
function places(v: unknown, out: { obj: Record<string, unknown> | unknown[]; key: string | number }[] = []) {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push({ obj: v, key: i });
      places(x, out);
    });
  } else if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    for (const k of new Set([...Object.keys(o), ...EXTRA_KEYS])) {
      out.push({ obj: o, key: k });
      if (k in o) places(o[k], out);
    }
  }
  return out;
}
const EXTRA_KEYS = ['id', 'name', 'skills', 'leave', 'title', 'skill', 'dueWeek', 'emergency', 'status', 'spentHours', 'level', 'currentWeek', 'startDate', 'levels', 'catchUpFirst', 'pins', 'previous', 'currentWeekLog', 'purchases', 'usedByWeek', 'rolloverInHours', 'shortfallToDateHours', 'week', 'hours', 'extra'];

describe('the scenario fast path (solver/fast-parse.ts) gives what zod gives', () => {
  it('answers for every generated scenario, as zod does', () => {
    for (const s of valid()) {
      expect(fastParse(s, SMALL), JSON.stringify(s).slice(0, 80)).not.toBeNull();
      expect(disagreement(s)).toBeNull();
    }
  });

  it('never accepts what zod refuses, nor answers differently, on 4000 broken scenarios', () => {
    const r = rng(2024);
    const bases = valid().slice(0, 40);
    let answered = 0;
    let refused = 0;
    for (let n = 0; n < 4000; n++) {
      const s = structuredClone(bases[Math.floor(r() * bases.length)]) as Record<string, unknown>;
      // One to three edits at random places: a field set to an odd value, or dropped.
      for (let e = 0, edits = 1 + Math.floor(r() * 3); e < edits; e++) {
        const all = places(s);
        const { obj, key } = all[Math.floor(r() * all.length)]!;
        if (r() < 0.15 && !Array.isArray(obj)) delete (obj as Record<string, unknown>)[key as string];
        else (obj as Record<string | number, unknown>)[key] = odd(ODD_VALUES[Math.floor(r() * ODD_VALUES.length)]);
      }
      const wrong = disagreement(s);
      expect(wrong, JSON.stringify(s).slice(0, 300)).toBeNull();
      if (fastParse(s, SMALL) !== null) answered++;
      else if (!scenarioSchema.safeParse(s).success) refused++;
    }
    // Both sides were exercised: many broken scenarios still parse, many are refused.
    expect(answered).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });

  it('leaves what is not a plain JSON object to zod', () => {
    for (const input of [null, 3, 'x', [], new Date(0)]) expect(fastParse(input, SMALL)).toBeNull();
  });
});
