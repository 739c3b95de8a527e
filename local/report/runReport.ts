import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChartSection, TimeChart } from '../../cli/charts/chartPage.js';
import { renderChartPage } from '../../cli/charts/chartPage.js';
import { ALARM_TIMELINE_HEADER, alarmTimelineRows } from './alarmTimeline.js';
import type { BreakerPosition } from './runSample.js';
import type { RunTimeline } from './runTimeline.js';
import { type RunSummary, summaryRows } from './summaryTable.js';

/** One run in a report: its name, its summary and what happened over time. */
export interface ReportedRun {
  readonly heading: string;
  readonly summary: RunSummary;
  readonly timeline: RunTimeline;
  readonly paragraphs?: readonly string[];
}

const BREAKER_LEVELS: Readonly<Record<BreakerPosition, number>> = { closed: 0, 'half-open': 1, open: 2 };
const ALARM_LEVELS = { OK: 0, INSUFFICIENT_DATA: 0.5, ALARM: 1 } as const;
const COLORS = ['#2f6fd6', '#d9822b', '#3a9e5c', '#c23c3c', '#7a4fc9', '#8c6d1f', '#1f8c8c', '#b5478f'];

/** A run's charts over their shared time axis: what a report section draws, and the console's live view. */
export type RunCharts = Pick<ChartSection, 'times' | 'timeLabel' | 'charts'>;

/**
 * The charts of one run: processed per second, the work queue (in invocations, in backoff, waiting), the
 * DLQ depth, redrives, the circuit breaker's position and each alarm's state, over the seconds of the run.
 * `idPrefix` keeps chart ids unique in a page of several runs.
 */
export function runCharts(timeline: RunTimeline, idPrefix: string): RunCharts {
  const samples = timeline.samples;
  const times = samples.map((sample) => round((sample.at - timeline.startedAt) / 1_000));
  const perSecond = samples.map((sample, index) => {
    const previous = samples[index - 1];
    if (previous === undefined || sample.at <= previous.at) return 0;
    return round(((sample.totals.processed - previous.totals.processed) * 1_000) / (sample.at - previous.at));
  });
  const alarmNames = [...new Set(samples.flatMap((sample) => Object.keys(sample.alarms)))].sort();
  const charts: TimeChart[] = [
    {
      id: `${idPrefix}-processed`,
      title: 'Processed per second',
      unit: 'msg/s',
      note: 'Messages done per second (deleted after their handler succeeded).',
      series: [{ label: 'processed/s', color: COLORS[0] as string, values: perSecond }],
    },
    {
      id: `${idPrefix}-work-queue`,
      title: 'The work queue',
      unit: 'messages',
      note: 'In an invocation; in backoff (invisible until their redelivery delay ends, or delayed); waiting for a consumer.',
      series: [
        { label: 'in flight', color: COLORS[0] as string, values: samples.map((sample) => sample.inFlight) },
        {
          label: 'in backoff',
          color: COLORS[1] as string,
          values: samples.map((sample) => sample.inBackoff),
        },
        { label: 'waiting', color: COLORS[2] as string, values: samples.map((sample) => sample.visible) },
      ],
    },
    {
      id: `${idPrefix}-dlq`,
      title: 'DLQ depth',
      unit: 'messages',
      series: [
        {
          label: 'in the DLQ',
          color: COLORS[3] as string,
          values: samples.map((sample) => sample.deadLetterDepth),
        },
      ],
    },
    {
      id: `${idPrefix}-redrives`,
      title: 'Redrives',
      unit: 'messages',
      note: 'Messages moved from the DLQ back to the work queue so far, and dead letters sent so far.',
      series: [
        {
          label: 'redriven',
          color: COLORS[4] as string,
          values: samples.map((sample) => sample.totals.redriven),
        },
        {
          label: 'dead letters sent',
          color: COLORS[3] as string,
          values: samples.map((sample) => sample.totals.deadLettersSent),
        },
      ],
    },
    {
      id: `${idPrefix}-breaker`,
      title: 'Circuit breaker',
      note: 'Closed: the consumer polls at full concurrency; open: it is paused; half-open: it probes.',
      yLabels: { 0: 'closed', 1: 'half-open', 2: 'open' },
      series: [
        {
          label: 'breaker',
          color: COLORS[1] as string,
          values: samples.map((sample) => BREAKER_LEVELS[sample.breaker]),
        },
      ],
    },
    {
      id: `${idPrefix}-alarms`,
      title: 'Alarm states',
      note: 'One lane per alarm: low while OK, high while in ALARM (halfway: insufficient data).',
      yLabels: Object.fromEntries(alarmNames.map((name, lane) => [lane * 2, name])),
      series: alarmNames.map((name, lane) => ({
        label: name,
        color: COLORS[lane % COLORS.length] as string,
        values: samples.map((sample) => {
          const state = sample.alarms[name];
          return state === undefined ? null : lane * 2 + ALARM_LEVELS[state];
        }),
      })),
    },
  ];
  return {
    times,
    timeLabel: `seconds since the start (waits run ${timeline.timeScale}x faster than on AWS)`,
    charts,
  };
}

/** One run's section of a report: its summary and alarm timeline as tables, then its charts. */
export function runSection(run: ReportedRun): ChartSection {
  const { timeline } = run;
  return {
    heading: run.heading,
    paragraphs: run.paragraphs ?? [],
    tables: [
      { caption: 'Summary', header: ['', ''], rows: summaryRows(run.summary) },
      ...(timeline.alarms.length === 0
        ? []
        : [
            {
              caption: `Alarm timeline (on AWS: waits ${timeline.timeScale}x longer)`,
              header: [...ALARM_TIMELINE_HEADER],
              rows: alarmTimelineRows(timeline.alarms, timeline.startedAt, timeline.timeScale),
            },
          ]),
    ],
    ...runCharts(timeline, slug(run.heading)),
  };
}

/** Where a run report goes: `.local-runtime/reports/<name>-<date>-<time>.html` in the project. */
export function runReportPath(projectDirectory: string, name: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join(projectDirectory, '.local-runtime', 'reports', `${name}-${stamp}.html`);
}

/** A report: a title, an optional opening section (tables only, e.g. a comparison), then one section per run. */
export interface RunReport {
  readonly title: string;
  readonly subtitle?: string;
  readonly lead?: Pick<ChartSection, 'heading' | 'paragraphs' | 'tables'>;
  readonly runs: readonly ReportedRun[];
}

/** Writes the report page; returns its path and size in bytes. */
export async function writeRunReport(
  path: string,
  report: RunReport,
): Promise<{ path: string; bytes: number }> {
  const sections: ChartSection[] = [
    ...(report.lead === undefined ? [] : [{ ...report.lead, times: [], timeLabel: '', charts: [] }]),
    ...report.runs.map(runSection),
  ];
  const html = await renderChartPage({
    title: report.title,
    ...(report.subtitle === undefined ? {} : { subtitle: report.subtitle }),
    sections,
  });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, html);
  return { path, bytes: Buffer.byteLength(html) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'run'
  );
}
