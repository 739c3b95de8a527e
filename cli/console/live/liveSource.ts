import type { LiveCharts } from '../consoleApi.js';

/**
 * Where the console's live view reads the local pipeline from (`npm start -- --console`): the run
 * report's charts over the run so far, so the live view and the report show the same thing.
 */
export interface LiveSource {
  charts(): LiveCharts;
}
