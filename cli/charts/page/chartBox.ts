import { h } from '../../console/page/dom.js';
import type { TimeChart } from '../chartTypes.js';

/**
 * The box a chart is drawn in: its title (with the unit) and its note. The run report and the console's
 * live view both use it, so a chart reads the same in both.
 */
export function chartBox(chart: TimeChart): HTMLElement {
  return h(
    'div',
    { className: 'chart', id: `chart-${chart.id}` },
    h('h3', {}, chart.unit === undefined ? chart.title : `${chart.title} (${chart.unit})`),
    chart.note === undefined ? null : h('p', {}, chart.note),
  );
}
