import * as echarts from 'echarts';
import type { LocalDate } from '../domain/dates.js';
import type { PaperStep, SummaryTotals } from '../domain/summary.js';
import type { CampaignProgress } from '../domain/trends.js';
import { page } from '../text/dashboard.js';

/**
 * The dashboard's charts, rendered on the server as SVG by Apache ECharts (its server-side
 * rendering: `init(null, null, { renderer: 'svg', ssr: true })` + `renderToSVGString()`), so pages
 * carry no script. Rendered SVGs are kept by their option (the same numbers draw the same chart).
 */

const COLORS = { red: '#d93025', yellow: '#f2a600', green: '#1e8e3e', blue: '#1a73e8', grey: '#9aa0a6' };
const FONT = { fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif' };

const kept = new Map<string, string>();
const KEEP = 64;

/** One chart as an SVG string (`width` × `height` px; the page scales it to the screen). */
export function renderChart(option: echarts.EChartsCoreOption, width = 480, height = 280): string {
  const key = `${width}x${height}:${JSON.stringify(option)}`;
  const hit = kept.get(key);
  if (hit !== undefined) return hit;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: FONT, ...option });
    const svg = chart.renderToSVGString();
    if (kept.size >= KEEP) kept.delete(kept.keys().next().value!);
    kept.set(key, svg);
    return svg;
  } finally {
    chart.dispose();
  }
}

/** Units by traffic light (a ring). */
export function lightsChart(lights: SummaryTotals['lights']): string {
  return renderChart({
    color: [COLORS.red, COLORS.yellow, COLORS.green],
    legend: { bottom: 0 },
    series: [{
      type: 'pie', radius: ['42%', '70%'], center: ['50%', '45%'],
      label: { formatter: '{b} {c}' },
      // A colour with no unit has no slice (its label would sit on a neighbour's); the legend still names it.
      data: [
        { name: page.light('red'), value: lights.red, itemStyle: { color: COLORS.red } },
        { name: page.light('yellow'), value: lights.yellow, itemStyle: { color: COLORS.yellow } },
        { name: page.light('green'), value: lights.green, itemStyle: { color: COLORS.green } },
      ].map((x) => (x.value ? x : { ...x, value: null as unknown as number })),
    }],
  });
}

/** Overdue items at the end of each week (a line). */
export function overdueChart(days: readonly LocalDate[], counts: readonly number[]): string {
  return renderChart({
    color: [COLORS.red],
    grid: { left: 48, right: 16, top: 24, bottom: 40 },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)), axisLabel: { fontSize: 11 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'line', name: page.series.overdue, data: [...counts], label: { show: true, fontSize: 10, formatter: (x: { value: number }) => (x.value ? String(x.value) : '') }, areaStyle: { opacity: 0.12 } }],
  });
}

/** 方案 / 通知 / 报告 on time, late, missing, pending (stacked bars). */
export function papersChart(papers: SummaryTotals['papers']): string {
  const steps: PaperStep[] = ['plan', 'notice', 'report'];
  const s = page.series;
  const bar = (name: string, key: 'onTime' | 'late' | 'missing' | 'pending') => ({
    type: 'bar', stack: 'all', name, data: steps.map((p) => papers[p][key]), label: { show: true, fontSize: 10, formatter: (x: { value: number }) => (x.value ? String(x.value) : '') },
  });
  return renderChart({
    color: [COLORS.green, COLORS.yellow, COLORS.red, COLORS.grey],
    legend: { bottom: 0 },
    grid: { left: 76, right: 16, top: 16, bottom: 48 },
    yAxis: { type: 'category', data: steps.map((p) => page.paper(p)) },
    xAxis: { type: 'value', minInterval: 1 },
    series: [bar(s.onTime, 'onTime'), bar(s.late, 'late'), bar(s.missing, 'missing'), bar(s.pending, 'pending')],
  });
}

/** Each campaign: units held, arranged, not arranged (stacked bars). */
export function campaignsChart(campaigns: readonly CampaignProgress[]): string {
  const s = page.series;
  const names = campaigns.map((c) => `${page.kind(c.kind)} ${c.end.slice(5)}`);
  const bar = (name: string, key: 'held' | 'arranged' | 'missing') => ({
    type: 'bar', stack: 'all', name, data: campaigns.map((c) => c[key]), label: { show: true, fontSize: 10, formatter: (x: { value: number }) => (x.value ? String(x.value) : '') },
  });
  return renderChart({
    color: [COLORS.green, COLORS.blue, COLORS.red],
    legend: { bottom: 0 },
    grid: { left: 110, right: 16, top: 16, bottom: 48 },
    yAxis: { type: 'category', data: names },
    xAxis: { type: 'value', minInterval: 1 },
    series: [bar(s.held, 'held'), bar(s.arranged, 'arranged'), bar(s.missingMeeting, 'missing')],
  }, 480, Math.max(160, 90 + campaigns.length * 44));
}
