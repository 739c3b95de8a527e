/**
 * `npm run build`: bundles the chart page (its script, uPlot and the styles) into dist, next to the
 * compiled chartPage.js, which inlines it into every page it writes.
 */
import { writeChartPageBundle } from './chartPage.js';

await writeChartPageBundle();
