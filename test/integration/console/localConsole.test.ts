import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CausesResponse, LiveResponse, OverviewResponse } from '../../../cli/console/consoleApi.js';
import { TimelineRecorder } from '../../../cli/console/live/liveSource.js';
import type { RunningConsole } from '../../../cli/console/startConsole.js';
import { recordSample, startLocalConsole } from '../../../local/console/localConsole.js';
import type { LocalRuntime } from '../../../local/localRuntime.js';
import { runDemo } from '../../../local/runDemo.js';
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
const live = new TimelineRecorder();

beforeAll(async () => {
  const assemblyDirectory = await synthesizeExampleApp({});
  browser = await launchHeadlessBrowser();
  const result = await runDemo({
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
    onRuntime: async (started) => {
      running = await startLocalConsole(started, live);
    },
    onTotals: (started, totals) => recordSample(live, started, totals),
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

  it('records the run as a timeline and draws its charts in the browser', async () => {
    const { timeline } = await get<LiveResponse>('/api/live');
    expect(timeline.at.length).toBeGreaterThan(2);
    expect(timeline.series.processed?.at(-1)).toBeGreaterThan(0);

    const { page, errors } = await browser.open(`${running?.url}#/live`);
    await page.setViewport({ width: 1200, height: 900 });
    await page.waitForSelector('[data-testid="chart-Messages"] canvas');
    await page.waitForSelector('[data-testid="chart-Queues"] canvas');
    mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
    await page.screenshot({
      path: join(process.cwd(), 'test-artifacts', 'console-live.png'),
      fullPage: true,
    });
    expect(errors).toEqual([]);
  });
});
