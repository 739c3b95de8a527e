/**
 * `npm run build`: bundles the console page (its script, uPlot and the styles) into dist, next to the
 * compiled server, which serves it from there in the package.
 */
import { writeFrontEnd } from './server/frontEnd.js';

await writeFrontEnd(new URL('../../dist/cli/console/page/', import.meta.url));
