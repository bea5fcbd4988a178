/**
 * Scenario validation: a bad scenario is refused as a whole, with messages that name the field
 * (`clients[2].purchases[0].hours: a block is at least 20 hours`).
 */
import { z } from 'zod';
import { LEVEL_NAMES } from './contract.ts';
import { fastParse, smallParsers } from './fast-parse.ts';
import { isQuarterHours } from './quarter-hours.ts';

export { isQuarterHours };

export interface ScenarioIssue {
  path: string;
  message: string;
}

export class ScenarioError extends Error {
  readonly issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    const shown = issues.slice(0, 5).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    super(shown.join('; ') + more);
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

const MAX_WEEKS = 27;
const MAX_HOURS = 100_000;

const id = z.string().trim().min(1, { error: 'must not be empty' }).max(200);
export const QUARTER_HOURS_MESSAGE = 'must be in quarter hours (a multiple of 0.25)';

const anyHours = z
  .number({ error: 'must be a number of hours' })
  .finite()
  .min(0, { error: 'must not be negative' })
  .max(MAX_HOURS, { error: `must be at most ${MAX_HOURS} hours` });
const hours = anyHours.refine(isQuarterHours, { error: QUARTER_HOURS_MESSAGE });
const weekIndex = z.number({ error: 'must be a week index' }).int({ error: 'must be a whole week index' }).min(0, {
  error: 'must be a week index from 0',
});

export const policySchema = z.object({
  levels: z
    .array(z.enum(LEVEL_NAMES, { error: `must be one of ${LEVEL_NAMES.map((l) => `"${l}"`).join(', ')}` }))
    .refine((l) => new Set(l).size === l.length, { error: 'lists a level twice' })
    .optional(),
  catchUpFirst: z.boolean().optional(),
});

export const scenarioSchema = z.object({
  quarter: z.object({
    id,
    weeks: z
      .number({ error: 'is required: the number of weeks in the quarter' })
      .int({ error: 'must be a whole number of weeks' })
      .min(1, { error: 'must be at least 1' })
      .max(MAX_WEEKS, { error: `must be at most ${MAX_WEEKS}` }),
    currentWeek: weekIndex.default(0),
    startDate: z.iso.date({ error: 'must be a date like 2026-09-28' }).optional(),
  }),
  staff: z.array(
    z.object({
      id,
      name: z.string().max(200).optional(),
      weeklyHours: hours.max(168, { error: 'must be at most 168 hours a week' }),
      skills: z.array(z.string().trim().min(1, { error: 'a skill must not be empty' }).max(100)).default([]),
      leave: z.record(z.string(), hours.max(168, { error: 'must be at most 168 hours a week' })).default({}),
    }),
  ),
  clients: z.array(
    z.object({
      id,
      name: z.string().max(200).optional(),
      plan: z.enum(['prepaid', 'payg'], { error: 'must be "prepaid" or "payg"' }),
      purchases: z
        .array(z.object({ week: weekIndex, hours: hours.min(20, { error: 'a block is at least 20 hours' }) }))
        .default([]),
      rolloverInHours: hours.default(0),
      usedByWeek: z.array(hours).default([]),
      shortfallToDateHours: hours.default(0),
    }),
  ),
  tickets: z.array(
    z.object({
      id,
      client: id,
      title: z.string().max(500).optional(),
      priority: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], {
        error: 'must be 1 (urgent), 2 (high), 3 (normal) or 4 (low)',
      }),
      estimateHours: hours,
      spentHours: hours.default(0),
      openedWeek: weekIndex,
      skill: z.string().trim().min(1).max(100).nullish(),
      emergency: z.boolean().default(false),
      dueWeek: weekIndex.nullish(),
      status: z.enum(['open', 'closed'], { error: 'must be "open" or "closed"' }).default('open'),
    }),
  ),
  policy: policySchema.default({}),
  currentWeekLog: z.array(z.object({ staff: id, ticket: id, hours: hours.max(168) })).default([]),
  // A pin that cannot hold (unknown ticket or person, past week, missing skill, too many hours)
  // is reported in the plan's pinIssues, never refused: only its shape is checked here.
  pins: z
    .array(
      z.object({
        ticket: id,
        staff: id,
        week: z.number({ error: 'must be a week index' }).int({ error: 'must be a whole week index' }),
        hours: hours.max(168, { error: 'must be at most 168 hours a week' }).refine((h) => h > 0, { error: 'must be more than 0' }),
      }),
    )
    .max(100_000)
    .default([]),
  // Rows of the plan in force; rows naming unknown staff or tickets are ignored, never refused.
  previous: z
    .array(z.object({ week: z.number().int(), staff: z.string(), ticket: z.string(), hours: anyHours, level: z.number().int().min(1).max(5).optional() }))
    .default([]),
});

export type Scenario = z.output<typeof scenarioSchema>;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Checks that span several fields: references, duplicates and weeks inside the quarter. */
function crossCheck(s: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const W = s.quarter.weeks;
  // The path is built only for a week that is outside (most scenarios have none).
  const inQuarter = (path: () => string, week: number) => {
    if (week > W - 1) issues.push({ path: path(), message: `week ${week} is outside the quarter (weeks 0 to ${W - 1})` });
  };
  inQuarter(() => 'quarter.currentWeek', s.quarter.currentWeek);

  const unique = (list: { id: string }[], name: string) => {
    const seen = new Map<string, number>();
    list.forEach((item, i) => {
      const first = seen.get(item.id);
      if (first !== undefined) issues.push({ path: `${name}[${i}].id`, message: `duplicate id "${item.id}" (also ${name}[${first}])` });
      else seen.set(item.id, i);
    });
    return seen;
  };
  const staffIds = unique(s.staff, 'staff');
  const clientIds = unique(s.clients, 'clients');
  const ticketIds = unique(s.tickets, 'tickets');

  s.staff.forEach((st, i) => {
    for (const key of Object.keys(st.leave)) {
      const week = Number(key);
      if (!/^\d+$/.test(key)) issues.push({ path: `staff[${i}].leave.${key}`, message: 'leave is keyed by week index (0, 1, ...)' });
      else inQuarter(() => `staff[${i}].leave.${key}`, week);
    }
  });
  s.clients.forEach((c, i) => {
    c.purchases.forEach((p, j) => inQuarter(() => `clients[${i}].purchases[${j}].week`, p.week));
    if (c.plan === 'payg' && c.purchases.length > 0) {
      issues.push({ path: `clients[${i}].purchases`, message: 'a pay-as-you-go client buys no blocks; make it "prepaid"' });
    }
    if (c.usedByWeek.length > W) {
      issues.push({ path: `clients[${i}].usedByWeek`, message: `has ${c.usedByWeek.length} weeks; the quarter has ${W}` });
    }
  });
  s.tickets.forEach((t, i) => {
    if (!clientIds.has(t.client)) issues.push({ path: `tickets[${i}].client`, message: `unknown client "${t.client}"` });
    inQuarter(() => `tickets[${i}].openedWeek`, t.openedWeek);
    if (t.dueWeek != null) inQuarter(() => `tickets[${i}].dueWeek`, t.dueWeek);
  });
  s.currentWeekLog.forEach((e, i) => {
    if (!staffIds.has(e.staff)) issues.push({ path: `currentWeekLog[${i}].staff`, message: `unknown staff "${e.staff}"` });
    if (!ticketIds.has(e.ticket)) issues.push({ path: `currentWeekLog[${i}].ticket`, message: `unknown ticket "${e.ticket}"` });
  });
  return issues;
}

/** Parses and checks a scenario; throws ScenarioError naming every bad field. */
export function parseScenario(input: unknown): Scenario {
  const data = fastParse<Scenario>(input, SMALL_PARSERS) ?? parseWithZod(input);
  const issues = crossCheck(data);
  if (issues.length > 0) throw new ScenarioError(issues);
  return data;
}

const SMALL_PARSERS = smallParsers(scenarioSchema.shape.quarter, scenarioSchema.shape.policy);

function parseWithZod(input: unknown): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) {
    throw new ScenarioError(
      result.error.issues.map((i) => ({
        path: formatPath(i.path),
        message: i.path.length === 0 && i.code === 'invalid_type' ? 'a scenario must be a JSON object' : i.message,
      })),
    );
  }
  return result.data;
}
