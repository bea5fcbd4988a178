/** Turns a plain ChartSpec into a chart.js configuration. */
import type { ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
import { formatTick, formatValue, type ChartSpec, type Series } from '../../composables/chart-spec.ts';

const GRID = 'rgba(31,42,55,0.08)';
const INK = '#4a5565';

function dataset(s: Series, spec: ChartSpec): ChartDataset<'bar' | 'line', (number | null)[]> {
  if (s.kind === 'bar') {
    return { type: 'bar', label: s.label, data: s.data, backgroundColor: s.color, borderWidth: 0, borderRadius: 2, stack: s.stack ?? s.id, order: s.order ?? 1, maxBarThickness: 44 } as ChartDataset<'bar', (number | null)[]>;
  }
  const area = s.kind === 'area';
  return {
    type: 'line',
    label: s.label,
    data: s.data,
    borderColor: area ? 'transparent' : s.color,
    backgroundColor: area ? s.color : s.color,
    borderWidth: area ? 0 : s.points === false ? 1.5 : 2,
    borderDash: s.dashed ? [6, 4] : undefined,
    pointRadius: area || s.points === false || spec.labels.length > 20 ? 0 : 2.5,
    pointHoverRadius: area ? 0 : 4,
    fill: area ? (s.fill === 'previous' ? '-1' : 'origin') : false,
    stepped: s.stepped ? 'middle' : false,
    tension: 0,
    spanGaps: false,
    stack: s.stack ?? s.id,
    order: s.order ?? 0,
  } as ChartDataset<'line', (number | null)[]>;
}

export function chartConfig(spec: ChartSpec): ChartConfiguration<'bar' | 'line', (number | null)[], string> {
  const hasBars = spec.series.some((s) => s.kind === 'bar');
  const valueAxis = {
    stacked: Boolean(spec.stacked),
    beginAtZero: true,
    grid: { color: GRID },
    border: { display: false },
    ticks: { color: INK, callback: (v: string | number) => formatTick(spec, Number(v)) },
    title: spec.yTitle ? { display: true, text: spec.yTitle, color: INK } : undefined,
  };
  const categoryAxis = { stacked: Boolean(spec.stacked), grid: { display: false }, ticks: { color: INK, autoSkip: true, maxRotation: 0 } };
  return {
    type: hasBars ? 'bar' : 'line',
    data: { labels: spec.labels, datasets: spec.series.map((s) => dataset(s, spec)) },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: { duration: 300 },
      indexAxis: spec.horizontal ? 'y' : 'x',
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item: TooltipItem<'bar' | 'line'>) => item.raw !== null && item.raw !== 0,
          callbacks: { label: (item: TooltipItem<'bar' | 'line'>) => ` ${item.dataset.label}: ${formatValue(spec, Number(item.raw))}${spec.money ? '' : ' h'}` },
        },
      },
      scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
    },
  } as ChartConfiguration<'bar' | 'line', (number | null)[], string>;
}
