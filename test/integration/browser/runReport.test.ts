import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderChartPage } from '../../../cli/charts/chartPage.js';
import { writeRunReport } from '../../../local/report/runReport.js';
import { runDemo } from '../../../local/runDemo.js';
import { parseFaultMix } from '../../../local/traffic/faultMix.js';
import { type HeadlessBrowser, launchHeadlessBrowser } from '../../helpers/headlessBrowser.js';
import { demoOptions } from '../../helpers/localRuntimeHarness.js';

/**
 * The run report of `npm start` (and soak, outage) in a real headless Chromium: one file that draws every
 * chart from its own data, with nothing fetched from the network and no error in the page.
 */
describe('the HTML run report', () => {
  let browser: HeadlessBrowser;
  let directory: string;

  beforeAll(async () => {
    browser = await launchHeadlessBrowser();
    directory = mkdtempSync(join(tmpdir(), 'sqs-failsafe-report-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  /** Opens a file, recording every request that is not for the file itself. */
  async function open(path: string) {
    const url = pathToFileURL(path).href;
    const { page, errors } = await browser.open('about:blank');
    const requests: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.url() !== url) requests.push(request.url());
      void request.continue();
    });
    await page.goto(url, { waitUntil: 'load' });
    // The charts are drawn once uPlot has loaded (the page sets sqsFailsafeCharts then), or not at all.
    await page
      .waitForFunction(() => 'sqsFailsafeCharts' in globalThis, { timeout: 5_000 })
      .catch(() => undefined);
    return { page, errors, requests };
  }

  it('of a demo run draws each chart with data points, offline and without a page error', {
    timeout: 180_000,
  }, async () => {
    // Prepare: a run with dead letters, redrives and alarm changes, so every chart has a story.
    const result = await runDemo(
      demoOptions({
        assemblyDirectory: '.local-runtime/test-report',
        messages: 200,
        faults: parseFaultMix('transient=0.05,permanent=0.03,flaky=0.05'),
        seed: 3,
      }),
    );
    const { path, bytes } = await writeRunReport(join(directory, 'start.html'), {
      title: 'npm start',
      runs: [{ heading: 'The run', summary: result.summary, timeline: result.timeline }],
    });

    // Act
    const { page, errors, requests } = await open(path);
    const charts = await page.evaluate(() =>
      (
        globalThis as unknown as {
          sqsFailsafeCharts: { charts: { id: string; plot: { data: (number | null)[][] } }[] };
        }
      ).sqsFailsafeCharts.charts.map(({ id, plot }) => ({
        id,
        points: plot.data[0]?.length ?? 0,
        seriesWithData: plot.data.slice(1).filter((series) => series.some((value) => value !== null)).length,
        series: plot.data.length - 1,
      })),
    );
    const canvases = await page.$$eval('canvas', (nodes) => nodes.length);
    const text = await page.$eval('body', (node) => node.textContent ?? '');

    // Assess
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(bytes).toBe(readFileSync(path).length);
    expect(charts.map((chart) => chart.id)).toEqual([
      'the-run-processed',
      'the-run-work-queue',
      'the-run-dlq',
      'the-run-redrives',
      'the-run-breaker',
      'the-run-alarms',
    ]);
    for (const chart of charts) {
      expect(chart.points, chart.id).toBeGreaterThan(2);
      expect(chart.seriesWithData, chart.id).toBe(chart.series);
    }
    expect(canvases).toBe(charts.length);
    expect(text).toContain('PASS: all 200 messages accounted for');
    expect(text).toContain('DeadLetterQueueNotEmpty');
  });

  it('shows names as text, never as markup', async () => {
    // Prepare
    const hostile = '</script><script>window.injected = 1</script><img src=x onerror="window.injected = 2">';
    const path = join(directory, 'hostile.html');
    const html = await renderChartPage({
      title: hostile,
      subtitle: hostile,
      sections: [
        {
          heading: hostile,
          tables: [{ header: [hostile], rows: [[hostile]] }],
          times: [0, 1, 2],
          timeLabel: hostile,
          charts: [
            { id: 'c', title: hostile, series: [{ label: hostile, color: '#000', values: [1, 2, 3] }] },
          ],
        },
      ],
    });
    writeFileSync(path, html);

    // Act
    const { page, errors, requests } = await open(path);

    // Assess
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(
      await page.evaluate(() => (globalThis as unknown as { injected?: number }).injected),
    ).toBeUndefined();
    expect(await page.title()).toBe(hostile);
    expect(await page.$eval('h2', (node) => node.textContent)).toBe(hostile);
  });
});
