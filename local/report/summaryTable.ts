import { plural } from '../../cli/support/plural.js';
import type { LedgerTotals } from './conservationLedger.js';

export interface RunSummary {
  readonly totals: LedgerTotals;
  readonly seconds: number;
  /** Messages in a DLQ at the end without the runtime's failure metadata. */
  readonly deadLettersWithoutMetadata: number;
  readonly notificationFailures: number;
  readonly injected: {
    readonly sqsThrottled: number;
    readonly snsFailed: number;
    /** Calls answered late and calls never answered (`--slow-aws`). */
    readonly slowed?: number;
    readonly hung?: number;
  };
  /** Per function (short name): invocations, failed ones, those past their timeout, and throttles. */
  readonly invocations: readonly FunctionInvocations[];
  /** How many alarm state changes the run saw (the timeline lists them). */
  readonly alarmTransitions: number;
  /** With a simulated outage of the worker's downstream dependency. */
  readonly outage?: {
    readonly invocationsDuringOutage: number;
    readonly failedDownstreamCalls: number;
    readonly pauses: number;
    readonly resumes: number;
    readonly drainSecondsAfterRecovery: number;
  };
}

export interface FunctionInvocations {
  readonly name: string;
  readonly total: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly throttles: number;
}

/**
 * Whether every message is accounted for: done, or parked in a DLQ; none lost, none stuck; and none
 * dead-lettered before its attempts were spent (except by the max age).
 */
export function conservationHolds(summary: RunSummary): boolean {
  return summary.totals.lost === 0 && summary.totals.stuck === 0 && summary.totals.deadLetteredEarly === 0;
}

/** The end-of-run table: what happened to every message, and the conservation check. */
export function summaryTable(summary: RunSummary): string {
  const rows = summaryRows(summary);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}

/** The summary's rows, label and value (sub-rows' labels start with two spaces). */
export function summaryRows(summary: RunSummary): [string, string][] {
  const { totals } = summary;
  const sum = (key: keyof Omit<FunctionInvocations, 'name'>) =>
    summary.invocations.reduce((total, fn) => total + fn[key], 0);
  const rows: [string, string][] = [
    ['produced', String(totals.produced)],
    ['processed', String(totals.processed)],
    ['retried (received more than once)', String(totals.retried)],
    [
      'dead-lettered (in the DLQ at the end)',
      totals.everDeadLettered > totals.deadLettered
        ? `${totals.deadLettered} (${totals.everDeadLettered} reached it at some point; redriven since)`
        : String(totals.deadLettered),
    ],
    ['  without failure metadata', String(summary.deadLettersWithoutMetadata)],
    ['  before their attempts were spent', String(totals.deadLetteredEarly)],
    ['redriven (DLQ -> queue)', redrivenStory(totals)],
    ['dead letters sent by the runtime', deadLetterStory(totals, summary.notificationFailures)],
    [
      'notifications',
      Object.entries(totals.notifications)
        .map(([type, count]) => `${type} ${count}`)
        .join(', ') || '0',
    ],
    ['duplicates (extra copies)', String(totals.duplicates)],
    ['stuck (still in a work queue)', String(totals.stuck)],
    ['lost', String(totals.lost)],
    [
      'invocations',
      `${sum('total')}; ${sum('timeouts')} timed out, ${sum('throttles')} throttled, ` +
        `${sum('errors')} failed as a whole (timeouts included)`,
    ],
    [
      '  by function',
      summary.invocations
        .map((fn) => `${fn.name} ${fn.total}${fn.timeouts > 0 ? ` (${plural(fn.timeouts, 'timeout')})` : ''}`)
        .join(', '),
    ],
    [
      'injected AWS faults',
      `${plural(summary.injected.sqsThrottled, 'SQS throttle')}, ${plural(summary.injected.snsFailed, 'SNS publish failure')}` +
        (summary.injected.slowed || summary.injected.hung
          ? `, ${plural(summary.injected.slowed ?? 0, 'call')} answered late, ${summary.injected.hung ?? 0} never answered`
          : ''),
    ],
    ...(summary.outage === undefined
      ? []
      : ([
          [
            'outage',
            `${plural(summary.outage.invocationsDuringOutage, 'invocation')} during it (${plural(summary.outage.failedDownstreamCalls, 'downstream call')} refused), ` +
              `consumer paused ${summary.outage.pauses}x / resumed ${summary.outage.resumes}x, ` +
              `drained ${summary.outage.drainSecondsAfterRecovery.toFixed(1)} s after recovery`,
          ],
        ] as [string, string][])),
    [
      'alarm transitions',
      summary.alarmTransitions === 0 ? 'none' : `${summary.alarmTransitions} (the timeline below)`,
    ],
    [
      'throughput',
      `${(totals.processed / Math.max(summary.seconds, 0.001)).toFixed(0)} msg/s over ${summary.seconds.toFixed(1)} s`,
    ],
    [
      'conservation',
      conservationHolds(summary)
        ? `PASS: all ${totals.produced} messages accounted for (processed or in the DLQ), 0 lost, 0 stuck, ` +
          '0 dead-lettered before their attempts were spent'
        : `FAIL: ${totals.lost} lost, ${totals.stuck} stuck, ${totals.deadLetteredEarly} dead-lettered before their attempts were spent`,
    ],
  ];
  return rows;
}

/** A redrive that fails again is not a lost message: it went back to the DLQ, and the cap ends the loop. */
function redrivenStory(totals: LedgerTotals): string {
  if (totals.redriven === 0) return '0';
  const again = totals.redrivenAndDeadLetteredAgain;
  const done = totals.redriven - again;
  if (again === 0) return `${totals.redriven}, each processed after it`;
  return (
    `${totals.redriven}: ${done} processed after it, ${again} failed again and went back to the DLQ ` +
    '(redriving cannot fix a permanent failure; the redrive cap ends the loop)'
  );
}

/** Sends count every arrival in the DLQ, so a message redriven and dead-lettered again counts twice. */
function deadLetterStory(totals: LedgerTotals, publishFailures: number): string {
  const sends = plural(totals.deadLettersSent, 'send');
  const messages = plural(totals.everDeadLettered, 'message');
  const again = totals.deadLettersSent > totals.everDeadLettered ? ' (again after each failed redrive)' : '';
  return (
    `${sends} for ${messages}${again}; ${totals.deadLettersAnnounced} of ${totals.deadLettersSent} announced on the topic, ` +
    `${plural(publishFailures, 'event publish failure')} logged and counted`
  );
}
