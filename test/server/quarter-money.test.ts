/**
 * What a quarter's plan is worth (issue 12, server/modules/money/quarter-money.ts), in exact
 * minor units: prepaid hours recognised at the block price as they are delivered, overage and
 * pay-as-you-go hours at the pay-as-you-go rate, blocks sold, the rollover liability and the value
 * of hours at risk; weeks add up to the quarter and clients to the company, on hand-worked
 * quarters and on generated ones in every profile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../solver/index.ts';
import { generateScenario } from '../fixtures/generate-scenario.ts';
import { quarterMoney, type ClientPrices } from '../../server/modules/money/quarter-money.ts';

const example = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'examples', `${name}.json`), 'utf8'));
const priced = (entries: [string, number | null, number | null][]) => new Map<string, ClientPrices>(entries.map(([id, b, p]) => [id, { blockPriceMinor: b, paygRateMinor: p }]));

describe('quarter money', () => {
  it('emergency-rollover: Harbor’s 4 h owed are a liability at its block price; Quill’s 10 h and Nimbus’s 16 h at risk are worth theirs', () => {
    const p = plan(example('emergency-rollover'));
    const m = quarterMoney(p, priced([['harbor', 9_000, 12_000], ['quill', 8_000, 11_000], ['nimbus', 10_000, 12_500], ['dyno', null, 13_000]]), 'EUR');
    const by = (id: string) => m.clients.find((c) => c.id === id)!;
    // Harbor: 52 h bought, 44 used, 4 planned (week 11); 4 h rolled over.
    expect(by('harbor')).toMatchObject({ boughtHours: 52, soldMinor: 468_000, prepaidHours: 48, prepaidMinor: 432_000, overageHours: 0, rolloverHours: 4, rolloverLiabilityMinor: 36_000, atRiskHours: 0, atRiskMinor: 0, unpriced: false });
    // Quill: 110 used + 36 planned of 156; 10 h at risk.
    expect(by('quill')).toMatchObject({ soldMinor: 1_248_000, prepaidHours: 146, prepaidMinor: 1_168_000, atRiskHours: 10, atRiskMinor: 80_000 });
    expect(by('nimbus')).toMatchObject({ prepaidHours: 10, prepaidMinor: 100_000, atRiskHours: 16, atRiskMinor: 160_000 });
    // Dyno's ticket is unplanned: nothing billed; its missing block price is not needed.
    expect(by('dyno')).toMatchObject({ paygHours: 0, paygMinor: 0, unpriced: false });
    expect(m.totals).toEqual({ soldMinor: 468_000 + 1_248_000 + 260_000, prepaidMinor: 1_700_000, overageMinor: 0, paygMinor: 0, earnedMinor: 1_700_000, rolloverLiabilityMinor: 36_000, atRiskMinor: 240_000 });
    // Harbor's week 11 (planned) and its history weeks.
    expect(by('harbor').weeks[11]).toMatchObject({ history: false, prepaidHours: 4, prepaidMinor: 36_000 });
    expect(by('harbor').weeks[3]).toMatchObject({ history: true, prepaidHours: 4, prepaidMinor: 36_000 });
  });

  it('overage: hours beyond what was bought are billed at the pay-as-you-go rate, from the week the balance runs out; odd prices round once', () => {
    const s = {
      quarter: { id: 'Q', weeks: 4, currentWeek: 2 },
      staff: [{ id: 'ana', name: 'Ana', weeklyHours: 40, skills: [] }],
      clients: [
        { id: 'acme', name: 'Acme', plan: 'prepaid', purchases: [{ week: 0, hours: 20 }], usedByWeek: [9, 9] },
        { id: 'dyno', name: 'Dyno', plan: 'payg', usedByWeek: [0, 1.25] },
      ],
      tickets: [
        { id: 'A-1', client: 'acme', title: 'Work', priority: 2, estimateHours: 10, openedWeek: 0 },
        { id: 'D-1', client: 'dyno', title: 'Form', priority: 3, estimateHours: 2.75, openedWeek: 2 },
      ],
    };
    const p = plan(s);
    const acme = p.clients.find((c) => c.id === 'acme')!;
    expect(acme.overageHours).toBe(8);
    const m = quarterMoney(p, priced([['acme', 1_001, 12_000], ['dyno', null, 10_001]]), 'EUR');
    const a = m.clients.find((c) => c.id === 'acme')!;
    expect(a.weeks.map((w) => [w.prepaidHours, w.overageHours])).toEqual([[9, 0], [9, 0], [2, 8], [0, 0]]);
    expect(a.weeks.map((w) => w.prepaidMinor)).toEqual([9_009, 9_009, 2_002, 0]);
    expect(a).toMatchObject({ soldMinor: 20_020, prepaidHours: 20, prepaidMinor: 20_020, overageHours: 8, overageMinor: 96_000 });
    const d = m.clients.find((c) => c.id === 'dyno')!;
    // 1.25 h used and 2.75 h planned at 100.01: 12501.25 → 12501, then 4 h → 40004 in all.
    expect(d.weeks.map((w) => w.paygMinor)).toEqual([0, 12_501, 27_503, 0]);
    expect(d).toMatchObject({ paygHours: 4, paygMinor: 40_004, unpriced: false });
    expect(m.totals.earnedMinor).toBe(20_020 + 96_000 + 40_004);
    // Unpriced: the figures count 0 and say so.
    const none = quarterMoney(p, new Map(), 'EUR');
    expect(none.clients.every((c) => c.unpriced)).toBe(true);
    expect(none.totals.earnedMinor).toBe(0);
  });

  const PROFILES = {
    normal: {},
    tight: { load: 1.6, scarceSkills: true },
    stormy: { load: 2, emergencyShare: 0.05, prepaidShare: 0.9 },
    slack: { load: 0.6 },
  } as const;

  it.each(Object.entries(PROFILES))('adds up on generated quarters (%s)', (_name, profile) => {
    for (let seed = 1; seed <= 6; seed++) {
      const s = generateScenario({ seed, staff: 6, clients: 14, tickets: 120, currentWeek: seed % 5, ...profile });
      const p = plan(s);
      const prices = new Map<string, ClientPrices>(p.clients.map((c, i) => [c.id, { blockPriceMinor: 7_001 + i * 37, paygRateMinor: 9_999 + i * 13 }]));
      const m = quarterMoney(p, prices, 'EUR');
      for (const c of m.clients) {
        const pc = p.clients.find((x) => x.id === c.id)!;
        const delivered = pc.delivered.reduce((a, b) => a + b, 0);
        expect(c.prepaidHours + c.overageHours + c.paygHours).toBeCloseTo(delivered, 9);
        if (c.plan === 'prepaid') {
          expect(c.overageHours).toBeCloseTo(pc.overageHours, 9);
          expect(c.prepaidHours).toBeLessThanOrEqual(pc.boughtHours + pc.rolloverInHours);
        }
        for (const k of ['prepaidMinor', 'overageMinor', 'paygMinor'] as const) {
          expect(c.weeks.reduce((a, w) => a + w[k], 0)).toBe(c[k]);
          expect(c.weeks.every((w) => Number.isInteger(w[k]) && w[k] >= 0)).toBe(true);
        }
        expect(c.overageMinor).toBe(Math.floor((Math.round(c.overageHours * 4) * prices.get(c.id)!.paygRateMinor! + 2) / 4));
        expect(c.rolloverLiabilityMinor).toBe(Math.floor((Math.round(pc.rolloverHours * 4) * prices.get(c.id)!.blockPriceMinor! + 2) / 4));
      }
      for (const k of ['prepaidMinor', 'overageMinor', 'paygMinor'] as const) {
        expect(m.weeks.reduce((a, w) => a + w[k], 0)).toBe(m.totals[k]);
        expect(m.clients.reduce((a, c) => a + c[k], 0)).toBe(m.totals[k]);
      }
      expect(m.totals.earnedMinor).toBe(m.totals.prepaidMinor + m.totals.overageMinor + m.totals.paygMinor);
    }
  });
});
