/**
 * The demo quarter loaded into an empty embedded database: a small support company in the middle
 * of its quarter, with the situations the product is for (an emergency, a client whose hours are
 * about to expire, work nobody has the skill for, pay-as-you-go clients waiting). DEMO=xl loads a
 * generated quarter at scale instead (xlDemoScenario).
 */
import type { ScenarioInput, TicketInput } from '../../solver/index.ts';
import { weekOf } from '../clock.ts';
import { BENCH_SIZES, generateScenario } from './generate-scenario.ts';

/** The calendar quarter containing `now`: 13 weeks from the Monday of the week of its first day. */
export function calendarQuarter(now: Date): { id: string; startDate: string; weeks: number } {
  const q = Math.floor(now.getUTCMonth() / 3);
  const first = Date.UTC(now.getUTCFullYear(), q * 3, 1);
  const monday = first - ((new Date(first).getUTCDay() + 6) % 7) * 86400_000;
  return { id: `${now.getUTCFullYear()}-Q${q + 1}`, startDate: new Date(monday).toISOString().slice(0, 10), weeks: 13 };
}

const STAFF = [
  ['ana', 'Ana Lima', 32, ['linux', 'php']],
  ['sam', 'Sam Okafor', 40, ['linux', 'networking']],
  ['mei', 'Mei Chen', 36, ['php', 'javascript']],
  ['tom', 'Tom Berg', 24, ['windows', 'networking']],
  ['ivy', 'Ivy Park', 40, ['javascript', 'design']],
  ['raj', 'Raj Patel', 30, ['linux', 'databases']],
] as const;

const CLIENTS: [id: string, name: string, plan: 'prepaid' | 'payg', hours: number][] = [
  ['harbor', 'Harbor Dental', 'prepaid', 52],
  ['quill', 'Quill Books', 'prepaid', 156],
  ['nimbus', 'Nimbus Travel', 'prepaid', 26],
  ['orchard', 'Orchard Farms', 'prepaid', 78],
  ['lumen', 'Lumen Studio', 'prepaid', 104],
  ['atlas', 'Atlas Freight', 'prepaid', 65],
  ['dyno', 'Dyno Gyms', 'payg', 0],
  ['pixel', 'Pixel Bakery', 'payg', 0],
  ['verde', 'Verde Landscaping', 'payg', 0],
];

const TITLES = [
  'Upgrade PHP', 'Renew TLS certificates', 'Fix contact form', 'Nightly backup check', 'Speed up product search',
  'Move mail to new host', 'Patch CMS', 'Printer on the network', 'New booking page', 'Audit user accounts',
  'Migrate database', 'Replace office router', 'Accessibility fixes', 'Invoice export', 'Staging server',
  'Log rotation', 'Newsletter template', 'VPN for remote staff', 'Checkout rewrite', 'Image compression',
];
const SKILLS = ['linux', 'php', 'javascript', 'networking', 'windows', 'databases', 'design'];

export function demoScenario(now = new Date()): ScenarioInput {
  const cal = calendarQuarter(now);
  const W = cal.weeks;
  const current = weekOf(cal.startDate, now, W);
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

  const tickets: TicketInput[] = [];
  let n = 100;
  for (const [id, , plan, hours] of CLIENTS) {
    if (id === 'nimbus') continue; // presents no work: its hours will expire
    const count = plan === 'prepaid' ? Math.max(3, Math.round(hours / 12)) : 3;
    for (let i = 0; i < count; i++) {
      const opened = Math.min(W - 1, Math.floor(rand() * (current + 4)));
      const estimate = Math.round((2 + rand() * 14) * 4) / 4;
      tickets.push({
        id: `T-${n++}`,
        client: id,
        title: pick(TITLES),
        priority: pick([1, 2, 2, 3, 3, 3, 4] as const),
        estimateHours: estimate,
        spentHours: opened < current ? Math.round(estimate * rand() * 2) / 4 : 0,
        openedWeek: opened,
        ...(rand() < 0.75 ? { skill: pick(SKILLS) } : {}),
        ...(rand() < 0.15 ? { dueWeek: Math.min(W - 1, opened + 2 + Math.floor(rand() * 4)) } : {}),
      });
    }
  }
  tickets.push({ id: `T-${n++}`, client: 'quill', title: 'Shop is down', priority: 1, estimateHours: 24, openedWeek: current, skill: 'linux', emergency: true });
  tickets.push({ id: `T-${n++}`, client: 'atlas', title: 'Oracle report', priority: 2, estimateHours: 10, openedWeek: Math.max(0, current - 2), skill: 'oracle' });

  return {
    quarter: { id: cal.id, weeks: W, currentWeek: current, startDate: cal.startDate },
    staff: STAFF.map(([id, name, weeklyHours, skills], i) => ({
      id,
      name,
      weeklyHours,
      skills: [...skills],
      leave: i === 1 ? { [String(Math.min(W - 1, current + 2))]: weeklyHours } : i === 3 ? { [String(Math.min(W - 1, current + 1))]: 8 } : {},
    })),
    clients: CLIENTS.map(([id, name, plan, hours]) =>
      plan === 'payg'
        ? { id, name, plan }
        : {
            id,
            name,
            plan,
            purchases: [{ week: 0, hours }, ...(id === 'lumen' ? [{ week: Math.min(W - 2, current), hours: 40 }] : [])],
            rolloverInHours: id === 'orchard' ? 6 : 0,
            usedByWeek: Array.from({ length: current }, () => Math.round((hours / W) * (0.6 + rand() * 0.6) * 4) / 4),
            shortfallToDateHours: id === 'harbor' ? 3 : 0,
          },
    ),
    tickets,
    policy: {},
  };
}

/** Generated ids that become the demo sign-ins' people (seed.ts DEMO_USERS), with their names. */
const XL_STAFF: Record<string, [id: string, name: string]> = { s1: ['ana', 'Ana Lima'], s2: ['sam', 'Sam Okafor'] };
const XL_CLIENTS: Record<string, [id: string, name: string]> = { c1: ['harbor', 'Harbor Dental'], c2: ['quill', 'Quill Books'], c3: ['nimbus', 'Nimbus Travel'] };

/**
 * DEMO=xl: the benchmarks' xl quarter (120 staff, 500 clients, 10,000 tickets; seed 1), in the
 * calendar quarter containing `now`, with the first people and clients renamed to the demo
 * sign-ins' (Ana, Sam; Harbor, Quill, Nimbus), so the dashboard can be tried at scale.
 */
export function xlDemoScenario(now = new Date()): ScenarioInput {
  const cal = calendarQuarter(now);
  const current = weekOf(cal.startDate, now, cal.weeks);
  const s = generateScenario({ seed: 1, ...BENCH_SIZES.xl, weeks: cal.weeks, currentWeek: current });
  const staffId = (id: string) => XL_STAFF[id]?.[0] ?? id;
  const clientId = (id: string) => XL_CLIENTS[id]?.[0] ?? id;
  return {
    ...s,
    quarter: { id: cal.id, weeks: cal.weeks, currentWeek: current, startDate: cal.startDate },
    staff: s.staff.map((x) => ({ ...x, id: staffId(x.id), name: XL_STAFF[x.id]?.[1] ?? x.name })),
    clients: s.clients.map((c) => ({ ...c, id: clientId(c.id), name: XL_CLIENTS[c.id]?.[1] ?? c.name })),
    tickets: s.tickets.map((t) => ({ ...t, client: clientId(t.client) })),
    ...(s.pins ? { pins: s.pins.map((p) => ({ ...p, staff: staffId(p.staff) })) } : {}),
  };
}

/** The demo company: its name on statements and its currency. */
export const DEMO_COMPANY = { name: 'Northwind Support', currency: 'EUR' } as const;

/**
 * Demo prices per hour in cents, steady per client: pay-as-you-go €110-€140 an hour, and the
 * prepaid block at a 15-25 % discount on the client's own rate (what the company's page says:
 * pay-as-you-go costs more, prepaid blocks carry a discount).
 */
export function demoPrices(clientId: string, plan: string): { blockPriceMinor: number | null; paygRateMinor: number } {
  let h = 0;
  for (const ch of clientId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const payg = 11_000 + (h % 7) * 500;
  const discount = 15 + (h % 3) * 5;
  return { paygRateMinor: payg, blockPriceMinor: plan === 'prepaid' ? Math.round((payg * (100 - discount)) / 100 / 100) * 100 : null };
}
