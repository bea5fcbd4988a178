/**
 * Seeded scenario generator: the xl demo quarter (DEMO=xl, demo-scenario.ts), the property tests
 * and the benchmarks (test/fixtures/generate-scenario.ts re-exports it). The same seed and options
 * always give the same scenario.
 */
import type { PolicyLevel, ScenarioInput, TicketInput } from '../../solver/contract.ts';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  seed: number;
  staff: number;
  clients: number;
  tickets: number;
  skills?: number;
  weeks?: number;
  currentWeek?: number;
  /** Share of prepaid clients (default 0.7). */
  prepaidShare?: number;
  /** Share of tickets flagged as emergencies (default 0.01). */
  emergencyShare?: number;
  /** Demand relative to capacity (default 1.2: a little more work than hours). */
  load?: number;
  /** Add a skill nobody has to some tickets (default false). */
  orphanSkill?: boolean;
  /** Scarce skills: most people have one skill, and some skills only one person has (default false). */
  scarceSkills?: boolean;
  /** Pins a manager set, as a share of tickets (default 0). */
  pinShare?: number;
  policyLevels?: PolicyLevel[];
}

export function generateScenario(o: GenerateOptions): ScenarioInput {
  const r = rng(o.seed);
  const W = o.weeks ?? 13;
  const current = o.currentWeek ?? 0;
  const K = o.skills ?? Math.max(2, Math.round(Math.log2(o.staff + 1) * 1.5));
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const quarter = (x: number) => Math.round(x * 4) / 4;
  const skills = Array.from({ length: K }, (_, i) => `skill${i}`);

  const staff = Array.from({ length: o.staff }, (_, i) => {
    const n = o.scarceSkills ? (r() < 0.75 ? 1 : 2) : int(1, Math.min(3, K));
    const own = new Set<string>();
    // Scarce: the last skills go to few people (a skill index drawn with a bias to the front).
    const draw = () => (o.scarceSkills ? skills[Math.min(K - 1, Math.floor(K * r() * r()))]! : pick(skills));
    while (own.size < n) own.add(draw());
    const leave: Record<string, number> = {};
    const weekly = pick([16, 20, 24, 30, 32, 36, 37.5, 40]);
    if (r() < 0.4) {
      const start = int(0, W - 1);
      const len = int(1, 3);
      for (let w = start; w < Math.min(W, start + len); w++) leave[String(w)] = r() < 0.7 ? weekly : quarter(weekly / 2);
    }
    return { id: `s${i + 1}`, name: `Staff ${i + 1}`, weeklyHours: weekly, skills: [...own], leave };
  });
  const capacity = staff.reduce((sum, s) => sum + s.weeklyHours, 0) * (W - current);

  const totalWork = capacity * (o.load ?? 1.2);
  const avgTicket = totalWork / Math.max(1, o.tickets);
  const clients = Array.from({ length: o.clients }, (_, i) => {
    const prepaid = r() < (o.prepaidShare ?? 0.7);
    const id = `c${i + 1}`;
    if (!prepaid) return { id, name: `Client ${i + 1}`, plan: 'payg' as const };
    const blocks = W < 2 || r() < 0.75 ? 1 : 2;
    const purchases = Array.from({ length: blocks }, (_, b) => ({
      week: b === 0 ? (r() < 0.8 ? 0 : int(0, W - 2)) : int(1, W - 1),
      hours: Math.max(20, Math.round((capacity / o.clients) * (0.3 + r()) * 0.9)),
    }));
    const usedByWeek = Array.from({ length: current }, () => quarter(r() * 6));
    return {
      id,
      name: `Client ${i + 1}`,
      plan: 'prepaid' as const,
      purchases,
      rolloverInHours: r() < 0.15 ? quarter(r() * 12) : 0,
      usedByWeek,
      shortfallToDateHours: current > 0 && r() < 0.1 ? quarter(r() * 4) : 0,
    };
  });

  // A few clients present most of the work, as in real support queues.
  const weights = clients.map(() => 0.2 + r() * r() * 3);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const pickClient = () => {
    let x = r() * weightSum;
    for (let i = 0; i < clients.length; i++) {
      x -= weights[i]!;
      if (x <= 0) return clients[i]!;
    }
    return clients.at(-1)!;
  };

  const tickets: TicketInput[] = Array.from({ length: o.tickets }, (_, i) => {
    const client = pickClient();
    const estimate = Math.max(0.25, quarter(avgTicket * (0.2 + r() * 1.6)));
    const opened = r() < 0.45 ? int(0, current) : int(0, W - 1);
    const emergency = r() < (o.emergencyShare ?? 0.01);
    const t: TicketInput = {
      id: `T-${i + 1}`,
      client: client.id,
      title: `Ticket ${i + 1}`,
      priority: pick([1, 2, 2, 3, 3, 3, 3, 4, 4] as const),
      estimateHours: emergency ? quarter(Math.min(estimate, 24)) : estimate,
      spentHours: opened < current && r() < 0.5 ? quarter(estimate * r() * 0.8) : 0,
      openedWeek: opened,
      emergency,
    };
    if (r() < 0.7) t.skill = o.orphanSkill && r() < 0.05 ? 'cobol' : pick(skills);
    if (r() < 0.2) t.dueWeek = int(opened, W - 1);
    if (r() < 0.03) t.status = 'closed';
    return t;
  });

  // Pins: a manager fixes a person on a ticket for a week; some are deliberately impossible
  // (wrong skill, a past week, more hours than the person has), which the plan must report.
  const pins = [];
  const pinCount = Math.round((o.pinShare ?? 0) * o.tickets);
  for (let i = 0; i < pinCount && tickets.length > 0 && staff.length > 0; i++) {
    const t = pick(tickets);
    const capable = staff.filter((st) => !t.skill || st.skills.includes(t.skill));
    const st = r() < 0.85 && capable.length > 0 ? pick(capable) : pick(staff);
    const week = r() < 0.9 ? int(Math.max(current, t.openedWeek), W - 1) : int(0, W - 1);
    pins.push({ ticket: t.id, staff: st.id, week, hours: quarter(Math.max(0.25, r() < 0.85 ? r() * 8 : r() * 60)) });
  }

  return {
    quarter: { id: `gen-${o.seed}`, weeks: W, currentWeek: current, startDate: '2026-09-28' },
    staff,
    clients,
    tickets,
    policy: o.policyLevels ? { levels: o.policyLevels } : {},
    ...(pins.length > 0 ? { pins } : {}),
  };
}

export const BENCH_SIZES = {
  small: { staff: 8, clients: 20, tickets: 200, skills: 4 },
  medium: { staff: 20, clients: 60, tickets: 800, skills: 6 },
  large: { staff: 50, clients: 200, tickets: 3000, skills: 8 },
  xl: { staff: 120, clients: 500, tickets: 10000, skills: 10 },
} as const;

/** Beyond xl, for the command line (npm run bench -- --cli): staff and clients grow with tickets. */
export const CLI_SIZES = {
  '20k': { staff: 240, clients: 1000, tickets: 20000, skills: 12 },
  '40k': { staff: 480, clients: 2000, tickets: 40000, skills: 12 },
  '100k': { staff: 1200, clients: 5000, tickets: 100000, skills: 12 },
} as const;
