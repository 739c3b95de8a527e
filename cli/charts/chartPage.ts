import { type BrowserPage, browserBundleLoader, writeBrowserBundle } from '../support/browserBundle.js';
import { CHART_PAGE_DATA_ID, type ChartPage } from './chartTypes.js';

export type { ChartPage, ChartSection, ChartSeries, ChartTable, TimeChart } from './chartTypes.js';

/** The page's browser side (page/chartPage.ts), and its bundle next to this module in the package. */
const CHART_PAGE: BrowserPage = {
  entry: new URL('./page/chartPage.ts', import.meta.url),
  builtDirectory: new URL('./page/', import.meta.url),
  name: 'chartPage',
};

const loadChartPage = browserBundleLoader(CHART_PAGE);

/**
 * A self-contained HTML page of time-series charts: one file with the page's script (uPlot included), its
 * styles and its data inlined, that loads nothing from the network. The run report of `npm start`, `npm
 * run soak` and `npm run outage` is one. Every text from the data goes into the page as text, never as
 * markup, so a queue or alarm name cannot inject anything.
 *
 * The charts are drawn by page/timeChart.ts (`drawTimeChart`), which a live view (the console's) can use
 * on its own data; this page exposes `window.sqsFailsafeCharts`: `charts` (each chart's id and its uPlot
 * instance) and `update(id, times, values)` to give a chart new data.
 *
 * @example
 * writeFileSync('report.html', await renderChartPage({ title: 'Run', sections: [section] }));
 */
export async function renderChartPage(page: ChartPage): Promise<string> {
  const { script, style } = await loadChartPage();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${style}</style>
</head>
<body>
<main id="page"></main>
<script type="application/json" id="${CHART_PAGE_DATA_ID}">${inlineJson(page)}</script>
<script>${script.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}

/** `npm run build`: bundles the page's browser side into the package (see browserBundle.ts). */
export function writeChartPageBundle(): Promise<void> {
  return writeBrowserBundle(CHART_PAGE, new URL('../../dist/cli/charts/page/', import.meta.url));
}

/** JSON inside a script element: `<` escaped, so no `</script>` in the data can end the element. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
