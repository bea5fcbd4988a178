// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { capacityChart, capacityRows } from '../../client/src/composables/capacity-chart-data.ts';
import { band, heatmapRows } from '../../client/src/composables/heatmap-data.ts';
import { burnDown, hoursSentences } from '../../client/src/composables/burn-down-data.ts';
import { clientRows, nextSort, riskChart, sortClients } from '../../client/src/composables/clients-table.ts';
import { LEVELS } from '../../client/src/composables/levels.ts';
import { clientPlan, staff, weeks } from './fixtures.ts';

describe('capacity chart data', () => {
  it('starts at the current week and keeps one bar series per level, in level colours', () => {
    const rows = capacityRows(weeks(), 2, '2026-09-28');
    expect(rows.map((r) => r.week)).toEqual([2, 3, 4]);
    expect(rows[0]).toMatchObject({ capacity: 32, leave: 8, gross: 40, allocated: 30, free: 2, utilisation: 94, date: '12 Oct' });
    const chart = capacityChart(rows);
    expect(chart.labels[0]).toBe('W2 · 12 Oct');
    const bars = chart.series.filter((s) => s.kind === 'bar');
    expect(bars.map((s) => s.color)).toEqual(LEVELS.map((l) => l.color));
    expect(bars.every((s) => s.stack === 'allocated')).toBe(true);
    expect(bars[0]!.data).toEqual([10, 0, 0]);
    expect(bars[3]!.data).toEqual([6, 4.5, 0]);
  });

  it('draws capacity after leave and before leave as lines, so leave shows as the gap', () => {
    const chart = capacityChart(capacityRows(weeks(), 2));
    const cap = chart.series.find((s) => s.id === 'capacity')!;
    const gross = chart.series.find((s) => s.id === 'gross')!;
    expect(cap.kind).toBe('line');
    expect(cap.data).toEqual([32, 40, 40]);
    expect(gross.data).toEqual([40, 40, 40]);
    expect(gross.dashed).toBe(true);
  });
});

describe('heatmap data', () => {
  it('gives hours and percentage per staff and week, sorted by name', () => {
    const { weeks: cols, rows } = heatmapRows(staff(), 2, 5);
    expect(cols).toEqual([2, 3, 4]);
    expect(rows.map((r) => r.name)).toEqual(['Al', 'Bo']);
    const bo = rows[1]!;
    expect(bo.cells.map((c) => [c.hours, c.pct, c.band])).toEqual([
      [0, null, 'off'],
      [20, 100, 'full'],
      [25, 125, 'over'],
    ]);
    expect(bo.cells[0]!.text).toContain('not available');
    expect(bo.cells[0]!.text).toContain('20 h leave');
    expect(bo).toMatchObject({ hours: 45, capacity: 40, pct: 113 });
  });

  it('bands utilisation', () => {
    expect(band(0, 10)).toBe('idle');
    expect(band(3, 10)).toBe('low');
    expect(band(5, 10)).toBe('mid');
    expect(band(8, 10)).toBe('high');
    expect(band(10, 10)).toBe('full');
    expect(band(11, 10)).toBe('over');
    expect(band(0, 0)).toBe('off');
  });
});

describe('burn-down data', () => {
  const q = { weeks: 5, currentWeek: 2, startDate: '2026-09-28' };

  it('burns the balance down with used hours, then planned hours, to the forecast unused', () => {
    const bd = burnDown(clientPlan(), q);
    expect(bd.total).toBe(20);
    expect(bd.points.map((p) => p.balance)).toEqual([20, 17, 13, 9, 7, 7]);
    const s = Object.fromEntries(bd.chart.series.map((x) => [x.id, x.data]));
    expect(s.used).toEqual([20, 17, 13, null, null, null]);
    expect(s.planned).toEqual([null, null, 13, 9, 7, 7]);
    expect(s.rate).toEqual([null, null, 13, 9, 5, 1]);
    expect(bd.chart.labels.at(-1)).toBe('End');
  });

  it('shades the at-risk hours and, above them, the rollover owed', () => {
    const bd = burnDown(clientPlan(), q);
    const risk = bd.chart.series.find((x) => x.id === 'at-risk')!;
    const roll = bd.chart.series.find((x) => x.id === 'rollover')!;
    expect(risk).toMatchObject({ kind: 'area', fill: 'origin' });
    expect(risk.data).toEqual([null, null, 5, 5, 5, 5]);
    expect(roll).toMatchObject({ kind: 'area', fill: 'previous' });
    expect(roll.data).toEqual([null, null, 7, 7, 7, 7]);
  });

  it('leaves the shading out when nothing is at risk or owed', () => {
    const bd = burnDown(clientPlan({ atRiskHours: 0, rolloverHours: 0 }), q);
    expect(bd.chart.series.map((s) => s.id)).toEqual(['bought', 'used', 'planned', 'rate']);
  });

  it('counts rolled-in hours with the bought ones', () => {
    expect(burnDown(clientPlan({ rolloverInHours: 6 }), q).total).toBe(26);
  });

  it('says how many hours expire and by which week to present tasks', () => {
    const s = hoursSentences(clientPlan(), q);
    expect(s.tone).toBe('warn');
    expect(s.expiry).toBe('5 hours will expire at the end of the quarter unless you present new tasks by week 3 (starting 19 Oct) to be done in time.');
    expect(s.rollover).toContain('We owe you 2 hours');
    expect(hoursSentences(clientPlan({ presentByWeek: 2 }), q).expiry).toContain('this week');
  });

  it('says plainly when nothing expires, and for pay-as-you-go', () => {
    expect(hoursSentences(clientPlan({ atRiskHours: 0, rolloverHours: 0, forecastUnusedHours: 0, presentByWeek: null }), q).expiry).toMatch(/^No hours are set to expire/);
    expect(hoursSentences(clientPlan({ plan: 'payg' }), q).expiry).toMatch(/pay-as-you-go/);
    expect(hoursSentences(clientPlan({ overageHours: 3 }), q).overage).toContain('3 hours of planned work go beyond your balance');
  });

  it('names the client when the manager reads it', () => {
    expect(hoursSentences(clientPlan(), q, false).expiry).toContain('unless Acme Ltd presents new tasks');
  });
});

describe('clients table', () => {
  const rows = clientRows([
    clientPlan({ id: 'a', name: 'Able', atRiskHours: 0, rolloverHours: 3 }),
    clientPlan({ id: 'b', name: 'Baker', atRiskHours: 9 }),
    clientPlan({ id: 'c', name: 'Crane', atRiskHours: 0, rolloverHours: 0 }),
    clientPlan({ id: 'd', name: 'Dyno', plan: 'payg', atRiskHours: 0, rolloverHours: 0 }),
  ]);

  it('puts at-risk clients first by default, then rollover, then name', () => {
    expect(sortClients(rows).map((r) => r.id)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('sorts by any column and toggles direction', () => {
    let sort = nextSort({ key: 'atRisk', dir: 'desc' }, 'name');
    expect(sort).toEqual({ key: 'name', dir: 'asc' });
    expect(sortClients(rows, sort).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    sort = nextSort(sort, 'name');
    expect(sortClients(rows, sort).map((r) => r.id)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('charts at-risk and rollover hours of prepaid clients only', () => {
    const chart = riskChart(rows);
    expect(chart.labels).toEqual(['Baker', 'Able', 'Crane']);
    expect(chart.series.map((s) => s.data)).toEqual([
      [9, 0, 0],
      [2, 3, 0],
    ]);
    expect(chart.horizontal).toBe(true);
  });
});
