/**
 * The scenario schema's fast path. Parsing with zod took a tenth of a small plan's time; this
 * checks the same rules by hand and builds the same output (defaults filled in, unknown fields
 * dropped, fields in the schema's order). Anything it is not sure of (a field that zod would
 * refuse, trim, or treat in a way this file does not copy) makes it answer null, and the schema
 * parses the scenario as before: zod stays the authority, and the one that words every refusal.
 * The quarter and the policy, two small objects, are parsed with their own zod schemas.
 * test/solver/fast-parse.test.ts holds it to zod's output on generated and broken scenarios.
 */
import type { z } from 'zod';
import { isQuarterHours } from './quarter-hours.ts';

type Out = Record<string, unknown>;
/** What the caller's zod schemas give for the two small objects (null: refused, let zod word it). */
export interface SmallParsers {
  quarter(input: unknown): unknown;
  policy(input: unknown): unknown;
}

const MAX_HOURS = 100_000;
/** Thrown inside the fast path: give up and let zod parse. */
const GIVE_UP = Symbol('give up');

function give(): never {
  throw GIVE_UP;
}

/** A plain object as JSON gives (class instances, arrays and odd prototypes go to zod). */
function plain(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) give();
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) give();
  return v as Record<string, unknown>;
}

function list(v: unknown): unknown[] {
  if (!Array.isArray(v)) give();
  return v;
}

/** The schema's `id`: a string, already trimmed (else zod would change it), 1 to 200 characters. */
function id(v: unknown, max = 200): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max || v.trim() !== v) give();
  return v;
}

function text(v: unknown, max: number): string {
  if (typeof v !== 'string' || v.length > max) give();
  return v;
}

/** zod's number: finite (NaN and ±Infinity refused). */
function num(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) give();
  return v;
}

function anyHours(v: unknown): number {
  const h = num(v);
  if (h < 0 || h > MAX_HOURS) give();
  return h;
}

function hours(v: unknown, max = MAX_HOURS): number {
  const h = anyHours(v);
  if (h > max || !isQuarterHours(h)) give();
  return h;
}

/** zod's int(): a safe integer. */
function int(v: unknown): number {
  if (!Number.isSafeInteger(v)) give();
  return v as number;
}

function week(v: unknown): number {
  const w = int(v);
  if (w < 0) give();
  return w;
}

/** Sets a field as zod does: a default for undefined; an optional field present as undefined stays so. */
function put(out: Out, from: Record<string, unknown>, key: string, parse: (v: unknown) => unknown, fallback?: () => unknown): void {
  const v = from[key];
  if (v === undefined) {
    if (fallback) out[key] = fallback();
    else if (key in from) out[key] = undefined;
    return;
  }
  out[key] = parse(v);
}

// Field parsers and defaults, made once (not a closure per field of every ticket).
const name200 = (x: unknown) => text(x, 200);
const title500 = (x: unknown) => text(x, 500);
const skillName = (x: unknown) => id(x, 100);
const anyHoursField = (x: unknown) => hours(x);
const hoursList = (x: unknown) => list(x).map(anyHoursField);
const nullableSkill = (x: unknown) => (x === null ? null : id(x, 100));
const nullableWeek = (x: unknown) => (x === null ? null : week(x));
const zero = () => 0;
const no = () => false;
const open = () => 'open';
const none = () => [];
const noLeave = () => ({});

function bool(x: unknown): boolean {
  if (typeof x !== 'boolean') give();
  return x;
}

function status(x: unknown): string {
  if (x !== 'open' && x !== 'closed') give();
  return x;
}

function leaveRecord(x: unknown): Record<string, number> {
  const r = plain(x);
  const leave: Record<string, number> = {};
  for (const key of Object.keys(r)) {
    if (key === '__proto__') give();
    leave[key] = hours(r[key], 168);
  }
  if (Object.getOwnPropertySymbols(r).length > 0) give();
  return leave;
}

function block(p: unknown): { week: number; hours: number } {
  const b = plain(p);
  const out = { week: week(b.week), hours: hours(b.hours) };
  if (out.hours < 20) give();
  return out;
}

function staffMember(v: unknown): Out {
  const s = plain(v);
  const out: Out = {};
  out.id = id(s.id);
  put(out, s, 'name', name200);
  out.weeklyHours = hours(s.weeklyHours, 168);
  put(out, s, 'skills', (x) => list(x).map(skillName), none);
  put(out, s, 'leave', leaveRecord, noLeave);
  return out;
}

function client(v: unknown): Out {
  const c = plain(v);
  const out: Out = {};
  out.id = id(c.id);
  put(out, c, 'name', name200);
  if (c.plan !== 'prepaid' && c.plan !== 'payg') give();
  out.plan = c.plan;
  put(out, c, 'purchases', (x) => list(x).map(block), none);
  put(out, c, 'rolloverInHours', anyHoursField, zero);
  put(out, c, 'usedByWeek', hoursList, none);
  put(out, c, 'shortfallToDateHours', anyHoursField, zero);
  return out;
}

function ticket(v: unknown): Out {
  const t = plain(v);
  const out: Out = {};
  out.id = id(t.id);
  out.client = id(t.client);
  put(out, t, 'title', title500);
  const p = t.priority;
  if (p !== 1 && p !== 2 && p !== 3 && p !== 4) give();
  out.priority = p;
  out.estimateHours = hours(t.estimateHours);
  put(out, t, 'spentHours', anyHoursField, zero);
  out.openedWeek = week(t.openedWeek);
  put(out, t, 'skill', nullableSkill);
  put(out, t, 'emergency', bool, no);
  put(out, t, 'dueWeek', nullableWeek);
  put(out, t, 'status', status, open);
  return out;
}

function logEntry(v: unknown): Out {
  const e = plain(v);
  return { staff: id(e.staff), ticket: id(e.ticket), hours: hours(e.hours, 168) };
}

function pin(v: unknown): Out {
  const p = plain(v);
  const out = { ticket: id(p.ticket), staff: id(p.staff), week: int(p.week), hours: hours(p.hours, 168) };
  if (!(out.hours > 0)) give();
  return out;
}

function previousRow(v: unknown): Out {
  const r = plain(v);
  const out: Out = { week: int(r.week) };
  if (typeof r.staff !== 'string' || typeof r.ticket !== 'string') give();
  out.staff = r.staff;
  out.ticket = r.ticket;
  out.hours = anyHours(r.hours);
  put(out, r, 'level', level);
  return out;
}

function level(x: unknown): number {
  const l = int(x);
  if (l < 1 || l > 5) give();
  return l;
}

/**
 * The scenario as the schema would give it, or null when only zod can say (a refusal, or
 * anything this fast path does not copy exactly).
 */
export function fastParse<T>(input: unknown, small: SmallParsers): T | null {
  try {
    const s = plain(input);
    const out: Out = {};
    out.quarter = small.quarter(s.quarter) ?? give();
    out.staff = list(s.staff).map(staffMember);
    out.clients = list(s.clients).map(client);
    out.tickets = list(s.tickets).map(ticket);
    out.policy = small.policy(s.policy) ?? give();
    put(out, s, 'currentWeekLog', (x) => list(x).map(logEntry), () => []);
    put(
      out,
      s,
      'pins',
      (x) => {
        const pins = list(x);
        if (pins.length > 100_000) give();
        return pins.map(pin);
      },
      () => [],
    );
    put(out, s, 'previous', (x) => list(x).map(previousRow), () => []);
    return out as T;
  } catch (e) {
    if (e === GIVE_UP) return null;
    throw e;
  }
}

/** The small parsers from zod schemas: their output, or null when they refuse. */
export function smallParsers(quarter: z.ZodType, policy: z.ZodType): SmallParsers {
  return {
    quarter: (v) => {
      const r = quarter.safeParse(v);
      return r.success ? r.data : null;
    },
    policy: (v) => {
      const r = policy.safeParse(v);
      return r.success ? r.data : null;
    },
  };
}
