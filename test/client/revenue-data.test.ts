// @vitest-environment happy-dom
/**
 * The Revenue page's shaping (client/src/composables/revenue-data.ts) of a GET /api/revenue answer:
 * tiles in the company currency, the weekly chart with delivered and planned weeks apart, the
 * liability chart, the table's rows, order and totals, and the unpriced sentence. And the price
 * fields of the client dialog (price-fields.ts): major units typed, minor units stored.
 */
import { describe, expect, it } from 'vitest';
import type { ClientMoney, MoneyWeek, RevenueAnswer } from '../../shared/api/index.ts';
import { formatValue, formatTick } from '../../client/src/composables/chart-spec.ts';
import { priceText, readPrice } from '../../client/src/composables/price-fields.ts';
import { whatIfVerdict } from '../../client/src/composables/diff-summary.ts';
import { liabilityChart, nextSort, revenueChart, revenueRows, revenueTiles, sortRevenueRows, totalsRow, unpricedSentence, whatIfMoneyLine } from '../../client/src/composables/revenue-data.ts';

const week = (w: number, history: boolean, prepaidMinor: number, overageMinor = 0, paygMinor = 0): MoneyWeek => ({ week: w, history, prepaidHours: 0, overageHours: 0, paygHours: 0, prepaidMinor, overageMinor, paygMinor });
const client = (c: Partial<ClientMoney> & Pick<ClientMoney, 'id' | 'name' | 'plan'>): ClientMoney => ({
  blockPriceMinor: null,
  paygRateMinor: null,
  unpriced: false,
  weeks: [],
  boughtHours: 0,
  soldMinor: 0,
  prepaidHours: 0,
  prepaidMinor: 0,
  overageHours: 0,
  overageMinor: 0,
  paygHours: 0,
  paygMinor: 0,
  rolloverHours: 0,
  rolloverLiabilityMinor: 0,
  atRiskHours: 0,
  atRiskMinor: 0,
  ...c,
});

const answer: RevenueAnswer = {
  quarter: '2026-Q4',
  currency: 'EUR',
  currentWeek: 2,
  planVersion: 7,
  closed: false,
  weeks: [week(0, true, 135_250), week(1, true, 135_250, 0, 0), week(2, false, 372_750, 24_000, 132_000), week(3, false, 0)],
  clients: [
    client({ id: 'acme', name: 'Acme Ltd', plan: 'prepaid', blockPriceMinor: 9_500, paygRateMinor: 12_000, boughtHours: 130, soldMinor: 1_235_000, prepaidHours: 116, prepaidMinor: 1_102_000, overageHours: 2, overageMinor: 24_000, atRiskHours: 14, atRiskMinor: 133_000 }),
    client({ id: 'bolt', name: 'Bolt Co', plan: 'prepaid', blockPriceMinor: 8_050, unpriced: true, boughtHours: 65, soldMinor: 523_250, prepaidHours: 60, prepaidMinor: 483_000, overageHours: 1, rolloverHours: 4, rolloverLiabilityMinor: 32_200 }),
    client({ id: 'dyno', name: 'Dyno Gyms', plan: 'payg', unpriced: true, paygHours: 12 }),
    client({ id: 'echo', name: 'Echo', plan: 'payg', paygRateMinor: 11_000, paygHours: 12, paygMinor: 132_000 }),
  ],
  totals: { soldMinor: 1_758_250, prepaidMinor: 1_585_000, overageMinor: 24_000, paygMinor: 132_000, earnedMinor: 1_741_000, rolloverLiabilityMinor: 32_200, atRiskMinor: 133_000 },
};

describe('revenue data', () => {
  it('tiles: the answer’s totals in the company currency, with tones', () => {
    const tiles = revenueTiles(answer);
    expect(tiles.map((t) => [t.key, t.value])).toEqual([
      ['earned', '€17,410.00'],
      ['prepaid', '€15,850.00'],
      ['overage', '€240.00'],
      ['payg', '€1,320.00'],
      ['liability', '€322.00'],
      ['atRisk', '€1,330.00'],
      ['sold', '€17,582.50'],
    ]);
    expect(Object.fromEntries(tiles.map((t) => [t.key, t.tone]))).toMatchObject({ overage: 'danger', liability: 'ok', atRisk: 'warn', payg: 'plain' });
    expect(revenueTiles({ ...answer, currency: 'JPY', totals: { ...answer.totals, earnedMinor: 12_345 } })[0]!.value).toBe('¥12,345');
  });

  it('weekly chart: three parts stacked, delivered weeks and planned weeks as separate series, in minor units', () => {
    const spec = revenueChart(answer, '2026-09-28');
    expect(spec.labels.slice(1)).toEqual(['W1 · 5 Oct', 'W2 · 12 Oct', 'W3 · 19 Oct']);
    expect(spec.labels[0]).toMatch(/^W0 · 28 Sep/);
    expect(spec).toMatchObject({ stacked: true, money: { currency: 'EUR' } });
    expect(spec.series.map((s) => s.id)).toEqual(['prepaid-delivered', 'overage-delivered', 'payg-delivered', 'prepaid-planned', 'overage-planned', 'payg-planned']);
    const by = (id: string) => spec.series.find((s) => s.id === id)!.data;
    expect(by('prepaid-delivered')).toEqual([135_250, 135_250, null, null]);
    expect(by('prepaid-planned')).toEqual([null, null, 372_750, 0]);
    expect(by('overage-planned')).toEqual([null, null, 24_000, 0]);
    expect(by('payg-planned')).toEqual([null, null, 132_000, 0]);
    expect(new Set(spec.series.map((s) => s.stack))).toEqual(new Set(['money']));
    // Planned bars are the delivered colour, paler.
    expect(spec.series[3]!.color).toMatch(/^rgba\(47,111,179,0\.45\)$/);
    expect(formatValue(spec, 135_250)).toBe('€1,352.50');
    expect(formatTick(spec, 1_200_000)).toMatch(/12K/);
    expect(formatValue({}, 2.5)).toBe('2.5');
  });

  it('liability chart: the clients owed or at risk', () => {
    const spec = liabilityChart(answer);
    expect(spec.labels).toEqual(['Acme Ltd', 'Bolt Co']);
    expect(spec.horizontal).toBe(true);
    expect(spec.series.map((s) => [s.id, s.data])).toEqual([
      ['liability', [0, 32_200]],
      ['at-risk', [133_000, 0]],
    ]);
  });

  it('rows, their order and the totals row; the unpriced say which price they lack', () => {
    const rows = revenueRows(answer);
    expect(rows[0]).toMatchObject({ id: 'acme', earned: 1_126_000, prepaid: 1_102_000, overage: 24_000, sold: 1_235_000, liability: 0, atRisk: 133_000, missing: [] });
    expect(rows.find((r) => r.id === 'bolt')!.missing).toEqual(['PAYG rate']);
    expect(rows.find((r) => r.id === 'dyno')!.missing).toEqual(['PAYG rate']);
    expect(sortRevenueRows(rows).map((r) => r.id)).toEqual(['acme', 'bolt', 'echo', 'dyno']);
    expect(sortRevenueRows(rows, { key: 'earned', dir: 'asc' }).map((r) => r.id)).toEqual(['dyno', 'echo', 'bolt', 'acme']);
    expect(sortRevenueRows(rows, { key: 'name', dir: 'desc' }).map((r) => r.id)).toEqual(['echo', 'dyno', 'bolt', 'acme']);
    // Ties by name: dyno and echo both 0 liability.
    expect(sortRevenueRows(rows, { key: 'liability', dir: 'desc' }).map((r) => r.id)).toEqual(['bolt', 'acme', 'dyno', 'echo']);
    expect(nextSort({ key: 'earned' as const, dir: 'desc' as const }, 'earned')).toEqual({ key: 'earned', dir: 'asc' });
    expect(nextSort({ key: 'earned' as const, dir: 'desc' as const }, 'name' as 'earned' | 'name')).toEqual({ key: 'name', dir: 'asc' });
    expect(nextSort({ key: 'name' as const, dir: 'asc' as const }, 'sold' as 'name' | 'sold')).toEqual({ key: 'sold', dir: 'desc' });
    expect(totalsRow(answer)).toEqual({ sold: 1_758_250, prepaid: 1_585_000, overage: 24_000, payg: 132_000, earned: 1_741_000, liability: 32_200, atRisk: 133_000 });
    expect(unpricedSentence(rows)).toBe('Bolt Co (PAYG rate) and Dyno Gyms (PAYG rate) have no price: their hours count 0 here until priced.');
    expect(unpricedSentence(rows.slice(0, 1))).toBeNull();
    expect(unpricedSentence(rows.filter((r) => r.id === 'dyno'))).toBe('Dyno Gyms (PAYG rate) has no price: its hours count 0 here until priced.');
  });
});

describe('what-if money', () => {
  const zero = { soldMinor: 0, prepaidMinor: 0, overageMinor: 0, paygMinor: 0, earnedMinor: 0, rolloverLiabilityMinor: 0, atRiskMinor: 0 };
  const money = (delta: Partial<typeof zero>) => ({ currency: 'EUR', before: zero, after: zero, delta: { ...zero, ...delta } });

  it('says what the changes do to the money, naming only what moves', () => {
    expect(whatIfMoneyLine(money({ prepaidMinor: 133_000, overageMinor: 192_000, earnedMinor: 325_000, atRiskMinor: -133_000 }))).toBe('Money: earned +€3,250.00 (prepaid +€1,330.00, overage +€1,920.00); value at risk −€1,330.00.');
    expect(whatIfMoneyLine(money({ soldMinor: 160_000, atRiskMinor: 160_000 }))).toBe('Money: blocks sold +€1,600.00; value at risk +€1,600.00.');
    expect(whatIfMoneyLine(money({ prepaidMinor: -1_312_000, paygMinor: -132_000, earnedMinor: -1_444_000, rolloverLiabilityMinor: 1_312_000 }))).toBe('Money: earned −€14,440.00 (prepaid −€13,120.00, PAYG −€1,320.00); rollover liability +€13,120.00.');
    expect(whatIfMoneyLine(money({}))).toBeNull();
    expect(whatIfMoneyLine(undefined)).toBeNull();
  });

  it('is the what-if verdict’s last line', () => {
    const v = whatIfVerdict({ diff: { clients: [], tickets: [], staff: [] }, pushedOut: [], available: true, money: money({ soldMinor: 160_000 }) }, new Map());
    expect(v.lines.at(-1)).toBe('Money: blocks sold +€1,600.00.');
  });
});

describe('price fields', () => {
  it('major units typed, minor units stored; blank is not priced', () => {
    expect(readPrice('95', 'EUR')).toEqual({ ok: true, minor: 9_500 });
    expect(readPrice(' 95,5 ', 'EUR')).toEqual({ ok: true, minor: 9_550 });
    expect(readPrice('', 'EUR')).toEqual({ ok: true, minor: null });
    expect(readPrice('1000', 'JPY')).toEqual({ ok: true, minor: 1_000 });
    const bad = readPrice('95.555', 'EUR');
    expect(bad).toEqual({ ok: false, message: 'Enter an amount per hour in EUR like 95.50, with at most 2 decimals, or leave it blank.' });
    expect(readPrice('12.5', 'JPY')).toMatchObject({ ok: false, message: expect.stringContaining('whole units') });
    expect(readPrice('-3', 'EUR').ok).toBe(false);
    expect(priceText(9_550, 'EUR')).toBe('95.50');
    expect(priceText(null, 'EUR')).toBe('');
    expect(priceText(1_234, 'KWD')).toBe('1.234');
  });
});
