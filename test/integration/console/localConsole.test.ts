import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CausesResponse, LiveResponse, OverviewResponse } from '../../../cli/console/consoleApi.js';
import type { RunningConsole } from '../../../cli/console/startConsole.js';
import { startLocalConsole } from '../../../local/console/localConsole.js';
import type { LocalRuntime } from '../../../local/localRuntime.js';
import { runSection } from '../../../local/report/runReport.js';
import { type DemoResult, runDemo } from '../../../local/runDemo.js';
import { parseFaultMix } from '../../../local/traffic/faultMix.js';
import { type HeadlessBrowser, launchHeadlessBrowser } from '../../helpers/headlessBrowser.js';
import { synthesizeExampleApp } from '../../helpers/localRuntimeHarness.js';

/**
 * `npm start -- --console`: the console attaches to the local pipeline as it starts, charts the run live
 * and shows the consumer (mapping, alarms) and its dead letters from the runtime's own APIs.
 */
let runtime: LocalRuntime | undefined;
let running: RunningConsole | undefined;
let browser: HeadlessBrowser;
let result: DemoResult;

beforeAll(async () => {
  const assemblyDirectory = await synthesizeExampleApp({});
  browser = await launchHeadlessBrowser();
  result = await runDemo({
    projectDirectory: process.cwd(),
    assemblyDirectory,
    synth: 'skip',
    messages: 60,
    faults: parseFaultMix('permanent=0.2'),
    seed: 3,
    timeScale: 60,
    port: 0,
    region: 'us-east-1',
    maxWaitSeconds: 60,
    keepRunning: true,
    verbose: false,
    interactive: false,
    write: () => {},
    onRuntime: async (started, timeline) => {
      running = await startLocalConsole(started, timeline);
    },
  });
  runtime = result.runtime;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await runtime?.stop();
});

const get = async <T>(path: string): Promise<T> => {
  const response = await fetch(`${running?.origin}${path}`, {
    headers: { 'x-console-token': running?.token ?? '' },
  });
  return (await response.json()) as T;
};

describe('console on the local pipeline', () => {
  it('shows the consumer from the runtime: depths, its event source mapping and its alarms', async () => {
    const overview = await get<OverviewResponse>('/api/overview');
    expect(overview.live).toBe(true);
    const [consumer] = overview.consumers;
    expect(consumer?.problems).toEqual([]);
    expect(consumer?.mappings).toEqual([expect.objectContaining({ enabled: true, state: 'Enabled' })]);
    expect(consumer?.alarms.map((alarm) => alarm.name).join(' ')).toMatch(/DeadLetterQueueNotEmpty/);
    expect(consumer?.dlq?.visible).toBeGreaterThan(0);
  });

  it('groups the run’s dead letters by cause', async () => {
    const { consumers } = await get<OverviewResponse>('/api/overview');
    const causes = await get<CausesResponse>(`/api/consumers/${consumers[0]?.id}/causes`);
    expect(causes.groups.map((group) => group.label)).toContain(
      'InjectedPermanentError: injected permanent fault',
    );
  });

  it('charts the run live with the run report’s own charts, drawn in the browser', async () => {
    const { available, charts } = await get<LiveResponse>('/api/live');
    expect(available).toBe(true);
    expect(charts.times.length).toBeGreaterThan(2);
    // The same charts as the report of this run: titles, series and the values they ended on.
    const report = runSection({ heading: 'The run', summary: result.summary, timeline: result.timeline });
    const shape = (section: Pick<typeof report, 'charts'>) =>
      section.charts.map((chart) => [chart.title, chart.series.map((series) => series.label)]);
    expect(shape(charts)).toEqual(shape(report));
    const dlq = charts.charts.find((chart) => chart.id === 'live-dlq');
    expect(dlq?.series[0]?.values.at(-1)).toBeGreaterThan(0);

    const { page, errors } = await browser.open(`${running?.url}#/live`);
    await page.setViewport({ width: 1200, height: 900 });
    for (const chart of charts.charts) await page.waitForSelector(`#chart-${chart.id} canvas`);
    const titles = await page.$$eval('[data-testid="live-charts"] h3', (headings) =>
      headings.map((heading) => heading.textContent),
    );
    expect(titles).toContain('Processed per second (msg/s)');
    mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
    await page.screenshot({
      path: join(process.cwd(), 'test-artifacts', 'console-live.png'),
      fullPage: true,
    });
    expect(errors).toEqual([]);
  });
});
