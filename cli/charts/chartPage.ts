import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CHART_PAGE_SCRIPT } from './chartPageScript.js';

/**
 * A self-contained HTML page of time-series charts: one file, uPlot and the data inlined, nothing loaded
 * from the network. The run report of `npm start`, `npm run soak` and `npm run outage` is one; a live view
 * (the operator console) can serve the same page and feed it new data (see `window.sqsFailsafeCharts`
 * below).
 *
 * Everything from the data is put into the page as text (`textContent`), never as markup, so a queue or
 * alarm name cannot inject anything.
 */
export interface ChartPage {
  readonly title: string;
  /** A line under the title: what ran, when, with which settings. */
  readonly subtitle?: string;
  readonly sections: readonly ChartSection[];
}

export interface ChartSection {
  readonly heading: string;
  readonly paragraphs?: readonly string[];
  /** Tables shown before the charts (a summary, an alarm timeline). */
  readonly tables?: readonly ChartTable[];
  /** The x values every chart of the section shares: seconds since the start. */
  readonly times: readonly number[];
  /** What the x axis counts, e.g. `seconds since the start (x60 on AWS)`. */
  readonly timeLabel: string;
  readonly charts: readonly TimeChart[];
}

export interface ChartTable {
  readonly caption?: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface TimeChart {
  /** Unique in the page: the live view updates a chart by it. */
  readonly id: string;
  readonly title: string;
  /** One sentence on how to read the chart. */
  readonly note?: string;
  /** Unit of the y axis, e.g. `msg/s`. */
  readonly unit?: string;
  /**
   * For charts of states rather than amounts: the y values to label, and their labels (`{ 0: 'closed',
   * 2: 'open' }`); the axis shows these and nothing in between, and the lines are drawn as steps.
   */
  readonly yLabels?: Readonly<Record<number, string>>;
  readonly series: readonly ChartSeries[];
}

export interface ChartSeries {
  readonly label: string;
  /** A CSS colour. */
  readonly color: string;
  /** One value per time of the section; null for none. */
  readonly values: readonly (number | null)[];
  /** Drawn as steps (a state) rather than a line. @default false, or true with `yLabels` */
  readonly stepped?: boolean;
}

const require = createRequire(import.meta.url);

/** The uPlot build the page inlines, read once. */
let uplotAssets: { script: string; style: string } | undefined;

function uplot(): { script: string; style: string } {
  uplotAssets ??= {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    style: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return uplotAssets;
}

/**
 * The page as one HTML string. The charts are drawn in the browser from the data embedded as JSON; the
 * page exposes `window.sqsFailsafeCharts`: `charts` (each chart's id and its uPlot instance) and
 * `update(id, times, values)` to give a chart new data, for a live view.
 *
 * @example
 * writeFileSync('report.html', renderChartPage({ title: 'Run', sections: [section] }));
 */
export function renderChartPage(page: ChartPage): string {
  const assets = uplot();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${assets.style}</style>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main id="page"></main>
<script>${LOCALE_GUARD}</script>
<script>${inlineScript(assets.script)}</script>
<script type="application/json" id="sqs-failsafe-chart-page">${inlineJson(page)}</script>
<script>${inlineScript(CHART_PAGE_SCRIPT)}</script>
</body>
</html>
`;
}

/** JSON inside a script element: `<` escaped, so no `</script>` in the data can end the element. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function inlineScript(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * uPlot formats numbers with `Intl.NumberFormat(navigator.language)` as it loads; a browser whose language is
 * not a valid tag (a POSIX locale such as `en-US@posix`, which headless Chromium reports under LANG=C) would
 * make it throw and leave the page without charts. Such a language is replaced by `en-US` first.
 */
const LOCALE_GUARD =
  "try { new Intl.NumberFormat(navigator.language); } catch (e) { Object.defineProperty(navigator, 'language', { value: 'en-US' }); }";

const PAGE_STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2430; margin: 0; background: #f6f7f9; }
main { max-width: 1180px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #d6dae0; padding-bottom: 4px; }
.subtitle { color: #5a6472; margin: 0 0 16px; }
table { border-collapse: collapse; margin: 8px 0 16px; background: #fff; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #d6dae0; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef0f3; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 16px; }
.chart { background: #fff; border: 1px solid #d6dae0; border-radius: 6px; padding: 8px; min-width: 0; overflow: hidden; }
.chart h3 { font-size: 14px; margin: 0 0 2px; }
.chart p { color: #5a6472; margin: 0 0 6px; font-size: 12px; }
`;
