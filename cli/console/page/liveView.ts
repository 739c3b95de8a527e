import type { LiveResponse } from '../consoleApi.js';
import { getJson } from './api.js';
import { h, replace } from './dom.js';

const REFRESH_MS = 1_000;

/** The local pipeline as it runs (`npm start -- --console`): its charts, redrawn every second. */
export function showLive(container: HTMLElement): () => void {
  const charts = h('div', { className: 'charts', 'data-testid': 'live-charts' });
  const status = h('p', { className: 'muted' }, 'Waiting for the first samples…');
  replace(container, h('h2', {}, 'Live pipeline'), status, charts);
  // The chart library is loaded with the first view that draws charts, not with the page.
  const view = import('./timelineCharts.js').then(({ timelineCharts }) => timelineCharts(charts));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const refresh = async () => {
    try {
      const live = await getJson<LiveResponse>('/api/live');
      if (!live.available)
        replace(status, 'No live pipeline: start the console with `npm start -- --console`.');
      else if (live.timeline.at.length > 0) {
        replace(status, `${live.timeline.at.length} samples`);
        (await view).update(live.timeline);
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
