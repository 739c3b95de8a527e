import type { ConsumerStatus, OverviewResponse, QueueDepths } from '../consoleApi.js';
import { getJson } from './api.js';
import { age, h, replace } from './dom.js';

const REFRESH_MS = 5_000;

/** Every consumer's queues, breaker and alarms, refreshed every few seconds. */
export function showOverview(container: HTMLElement, onLive: (live: boolean) => void): () => void {
  const body = h(
    'div',
    { 'data-testid': 'overview' },
    h('p', { className: 'loading' }, 'Reading the queues…'),
  );
  replace(container, h('h2', {}, 'Consumers'), body);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const refresh = async () => {
    try {
      const overview = await getJson<OverviewResponse>('/api/overview');
      onLive(overview.live);
      replace(
        body,
        overview.consumers.length === 0 ? h('p', {}, 'No consumer found.') : table(overview.consumers),
        ...overview.problems.map((problem) => h('p', { className: 'problem' }, problem)),
        h('p', { className: 'muted' }, `Read at ${new Date(overview.at).toLocaleTimeString()}`),
      );
    } catch (error) {
      replace(body, h('p', { className: 'problem' }, String((error as Error).message)));
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  };
  void refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function table(consumers: readonly ConsumerStatus[]): HTMLElement {
  return h(
    'table',
    { className: 'grid' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[
          'Consumer',
          'Queue (visible / in flight / delayed)',
          'Oldest',
          'DLQ',
          'Parking',
          'Consumer mapping',
          'Alarms',
          '',
        ].map((title) => h('th', {}, title)),
      ),
    ),
    h(
      'tbody',
      {},
      ...consumers.map((consumer) =>
        h(
          'tr',
          { 'data-testid': `consumer-${consumer.id}` },
          h(
            'td',
            {},
            h('strong', {}, consumer.name),
            ...consumer.problems.map((problem) => h('div', { className: 'problem small' }, problem)),
          ),
          h('td', { 'data-testid': 'queue-depths' }, depths(consumer.queue)),
          h('td', {}, age(consumer.queue?.oldestAgeSeconds)),
          h(
            'td',
            { 'data-testid': 'dlq-depth' },
            consumer.dlq === undefined ? '–' : String(consumer.dlq.visible + consumer.dlq.inFlight),
          ),
          h(
            'td',
            {},
            consumer.parking === undefined
              ? '–'
              : String(consumer.parking.visible + consumer.parking.inFlight),
          ),
          h(
            'td',
            {},
            consumer.mappings.length === 0
              ? '–'
              : consumer.mappings.map((mapping) =>
                  h(
                    'div',
                    { className: mapping.enabled ? 'ok' : 'alarm' },
                    `${mapping.enabled ? 'consuming' : 'paused'} (${mapping.state}${
                      mapping.maximumConcurrency === undefined
                        ? ''
                        : `, concurrency ≤ ${mapping.maximumConcurrency}`
                    })`,
                  ),
                ),
          ),
          h(
            'td',
            {},
            consumer.alarms.length === 0
              ? '–'
              : consumer.alarms.map((alarm) =>
                  h(
                    'span',
                    {
                      className: `chip ${alarm.state === 'ALARM' ? 'alarm' : alarm.state === 'OK' ? 'ok' : 'unknown'}`,
                      title: alarm.name,
                    },
                    `${shortAlarm(alarm.name)}: ${alarm.state}`,
                  ),
                ),
          ),
          h(
            'td',
            {},
            consumer.dlq === undefined
              ? ''
              : h(
                  'a',
                  {
                    href: `#/dlq/${encodeURIComponent(consumer.id)}`,
                    className: 'button',
                    'data-testid': 'triage-link',
                  },
                  'Triage DLQ',
                ),
          ),
        ),
      ),
    ),
  );
}

function depths(queue: QueueDepths | undefined): string {
  return queue === undefined ? '–' : `${queue.visible} / ${queue.inFlight} / ${queue.delayed}`;
}

/** CDK names alarms Stack-ConstructPathHASH: the middle says what it is. */
function shortAlarm(name: string): string {
  return name.replace(/^[A-Za-z0-9]+-/, '').replace(/-?[0-9A-Z]{8,}$/, '') || name;
}
