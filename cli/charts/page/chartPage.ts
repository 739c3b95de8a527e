import { h } from '../../console/page/dom.js';
import { ensureSupportedLocale } from '../../console/page/safeLocale.js';
import { CHART_PAGE_DATA_ID, type ChartPage, type ChartTable } from '../chartTypes.js';
import { chartBox } from './chartBox.js';
import './chartPage.css';
import type { DrawnTimeChart } from './timeChart.js';

/**
 * The browser side of a chart page (chartPage.ts renders the HTML around it): reads the page's JSON, lays
 * out the headings, tables and chart boxes, then draws each chart in its box once the boxes have their
 * widths, and exposes `window.sqsFailsafeCharts` (set once every chart is drawn) for tests and live views.
 */
declare global {
  interface Window {
    sqsFailsafeCharts: {
      readonly charts: readonly DrawnTimeChart[];
      update(id: string, times: readonly number[], values: readonly (readonly (number | null)[])[]): void;
    };
  }
}

// Before uPlot loads: it formats numbers in the browser's language, which may not be a valid tag.
ensureSupportedLocale();
const page = JSON.parse(document.getElementById(CHART_PAGE_DATA_ID)?.textContent ?? '{}') as ChartPage;
const root = document.getElementById('page') as HTMLElement;
const charts: DrawnTimeChart[] = [];
const drawings: (() => Promise<void>)[] = [];

function table(spec: ChartTable): HTMLTableElement {
  const hasHeader = spec.header.some((cell) => cell !== '');
  return h(
    'table',
    {},
    spec.caption === undefined ? null : h('caption', {}, spec.caption),
    hasHeader ? h('tr', {}, ...spec.header.map((cell) => h('th', {}, cell))) : null,
    ...spec.rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell)))),
  );
}

root.append(
  h(
    'header',
    {},
    h('h1', {}, page.title),
    page.subtitle === undefined ? null : h('p', { className: 'subtitle' }, page.subtitle),
  ),
);
for (const section of page.sections) {
  const grid = h('div', { className: 'charts' });
  root.append(
    h(
      'section',
      {},
      h('h2', {}, section.heading),
      ...(section.paragraphs ?? []).map((text) => h('p', {}, text)),
      ...(section.tables ?? []).map(table),
      grid,
    ),
  );
  for (const chart of section.charts) {
    const box = chartBox(chart);
    grid.append(box);
    drawings.push(async () => {
      const { drawTimeChart } = await import('./timeChart.js');
      charts.push(drawTimeChart(box, chart, section.times, section.timeLabel));
    });
  }
}
// Drawn once every box is laid out, so each chart takes the width its box really has, and in order.
async function drawAll(): Promise<void> {
  for (const draw of drawings) await draw();
  window.sqsFailsafeCharts = {
    charts,
    update(id, times, values) {
      charts.find((chart) => chart.id === id)?.update(times, values);
    },
  };
}

void drawAll();
