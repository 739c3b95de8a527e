import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TimeChart } from '../chartTypes.js';

/** A chart on the page, and how to give it new data. */
export interface DrawnTimeChart {
  readonly id: string;
  readonly plot: uPlot;
  /** New x values and one list of values per series, in the chart's series order. */
  update(times: readonly number[], values: readonly (readonly (number | null)[])[]): void;
}

const HEIGHT = 220;

/**
 * Draws one TimeChart with uPlot into `container`, as wide as the container: lines for amounts, steps
 * for states (`yLabels`, whose labels the y axis shows instead of numbers), a legend, and the x axis
 * labelled `timeLabel`. Resizes with the window. uPlot reads the browser's language as it loads: import
 * this module with `import()` after `ensureSupportedLocale()` (console/page/safeLocale.ts), as
 * chartPage.ts does.
 *
 * @example
 * const chart = drawTimeChart(element, { id: 'dlq', title: 'DLQ depth', series }, times, 'seconds');
 * chart.update(moreTimes, [moreValues]);
 */
export function drawTimeChart(
  container: HTMLElement,
  chart: TimeChart,
  times: readonly number[],
  timeLabel: string,
): DrawnTimeChart {
  const labels = chart.yLabels;
  const keys =
    labels === undefined
      ? undefined
      : Object.keys(labels)
          .map(Number)
          .sort((a, b) => a - b);
  const stepped = uPlot.paths.stepped?.({ align: 1 });
  const width = () => Math.max(300, container.clientWidth - 16);
  const yAxis: uPlot.Axis =
    labels === undefined || keys === undefined
      ? { size: 60 }
      : {
          splits: () => keys,
          values: (_, splits) => splits.map((value) => labels[value] ?? ''),
          size: 24 + 7 * Math.max(...keys.map((key) => (labels[key] ?? '').length)),
        };
  const plot = new uPlot(
    {
      width: width(),
      height: HEIGHT,
      scales: {
        x: { time: false },
        y:
          keys === undefined
            ? { range: (_, __, max) => [0, Math.max(1, max * 1.1)] }
            : { range: [(keys[0] ?? 0) - 0.5, (keys.at(-1) ?? 0) + 1.5] },
      },
      axes: [{ label: timeLabel }, yAxis],
      series: [
        { label: 'time (s)' },
        ...chart.series.map((series) => ({
          label: series.label,
          stroke: series.color,
          width: 2,
          points: { show: false },
          ...(series.stepped === true || keys !== undefined ? { paths: stepped } : {}),
        })),
      ],
    },
    [[...times], ...chart.series.map((series) => [...series.values])] as uPlot.AlignedData,
    container,
  );
  window.addEventListener('resize', () => plot.setSize({ width: width(), height: HEIGHT }));
  return {
    id: chart.id,
    plot,
    update(newTimes, values) {
      plot.setData([[...newTimes], ...values.map((series) => [...series])] as uPlot.AlignedData);
    },
  };
}
