import { chartBox } from '../../charts/page/chartBox.js';
import type { LiveCharts, LiveResponse } from '../consoleApi.js';
import { getJson } from './api.js';
import { h, replace } from './dom.js';

const REFRESH_MS = 1_000;

type ChartModule = typeof import('../../charts/page/timeChart.js');
type DrawnTimeChart = ReturnType<ChartModule['drawTimeChart']>;

/**
 * The local pipeline as it runs (`npm start -- --console`): the run report's charts, drawn by the report's
 * own chart module, redrawn every second.
 */
export function showLive(container: HTMLElement): () => void {
  const charts = h('div', { className: 'charts', 'data-testid': 'live-charts' });
  const status = h('p', { className: 'muted' }, 'Waiting for the first samples…');
  replace(container, h('h2', {}, 'Live pipeline'), status, charts);
  // The chart library is loaded with the first view that draws charts, not with the page.
  const chartModule = import('../../charts/page/timeChart.js');
  const drawn = new Map<string, { chart: DrawnTimeChart; shape: string }>();
  const draw = (live: LiveCharts, { drawTimeChart }: ChartModule) => {
    for (const chart of live.charts) {
      const values = chart.series.map((series) => series.values);
      // A chart whose series or labels changed (an alarm's lane appeared) is drawn again.
      const shape = JSON.stringify([chart.series.map((series) => series.label), chart.yLabels ?? {}]);
      const existing = drawn.get(chart.id);
      if (existing !== undefined && existing.shape === shape) {
        existing.chart.update(live.times, values);
        continue;
      }
      const holder = chartBox(chart);
      if (existing === undefined) charts.append(holder);
      else existing.chart.plot.root.parentElement?.replaceWith(holder);
      drawn.set(chart.id, { chart: drawTimeChart(holder, chart, live.times, live.timeLabel), shape });
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const refresh = async () => {
    try {
      const live = await getJson<LiveResponse>('/api/live');
      if (!live.available)
        replace(status, 'No live pipeline: start the console with `npm start -- --console`.');
      else if (live.charts.times.length > 0) {
        replace(status, `${live.charts.times.length} samples`);
        draw(live.charts, await chartModule);
      }
    } catch (error) {
      replace(status, h('span', { className: 'problem' }, (error as Error).message));
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  };
  void refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
