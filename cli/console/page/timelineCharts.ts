import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LiveTimeline } from '../consoleApi.js';
import { h } from './dom.js';

/**
 * The pipeline's charts, drawn with uPlot: what happened to the messages (cumulative) and how full the
 * queues are, over time. The run report of `npm start` draws the same series; this module is the seam
 * where the console takes the report's chart module once both exist on main.
 */
export const CHARTS: readonly { readonly title: string; readonly series: readonly string[] }[] = [
  { title: 'Messages', series: ['processed', 'retried', 'deadLettered', 'redriven'] },
  { title: 'Queues', series: ['queueDepth', 'inFlight', 'dlqDepth'] },
];

const COLOURS = ['#2b7a0b', '#c77c02', '#b3261e', '#1a5fb4', '#6b3fa0', '#555555'];

export interface TimelineCharts {
  update(timeline: LiveTimeline): void;
}

export function timelineCharts(container: HTMLElement): TimelineCharts {
  const plots = new Map<string, uPlot>();
  return {
    update(timeline) {
      for (const chart of CHARTS) {
        const names = chart.series.filter((name) => timeline.series[name] !== undefined);
        if (names.length === 0) continue;
        const data: uPlot.AlignedData = [
          [...timeline.at],
          ...names.map((name) => [...(timeline.series[name] as readonly number[])]),
        ];
        let plot = plots.get(chart.title);
        if (plot === undefined || plot.series.length !== names.length + 1) {
          plot?.destroy();
          const holder = h(
            'figure',
            { 'data-testid': `chart-${chart.title}` },
            h('figcaption', {}, chart.title),
          );
          container.append(holder);
          plot = new uPlot(
            {
              width: Math.max(320, Math.min(900, container.clientWidth - 20)),
              height: 260,
              series: [
                {},
                ...names.map((name, index) => ({
                  label: name,
                  stroke: COLOURS[index % COLOURS.length],
                  width: 2,
                })),
              ],
              axes: [{}, { size: 60 }],
            },
            data,
            holder,
          );
          plots.set(chart.title, plot);
        } else {
          plot.setData(data);
        }
      }
    },
  };
}
