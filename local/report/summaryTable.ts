import type { LedgerTotals } from './conservationLedger.js';

export interface RunSummary {
  readonly totals: LedgerTotals;
  readonly seconds: number;
  /** Messages in a DLQ at the end without the runtime's failure metadata. */
  readonly deadLettersWithoutMetadata: number;
  readonly notificationFailures: number;
  readonly injected: { readonly sqsThrottled: number; readonly snsFailed: number };
  /** Over every function: invocations, failed invocations, and those that ran past their timeout. */
  readonly invocations: { readonly total: number; readonly errors: number; readonly timeouts: number };
  readonly alarms: readonly string[];
  /** With a simulated outage of the worker's downstream dependency. */
  readonly outage?: {
    readonly invocationsDuringOutage: number;
    readonly failedDownstreamCalls: number;
    readonly pauses: number;
    readonly resumes: number;
    readonly drainSecondsAfterRecovery: number;
  };
}

/** Whether every message is accounted for: done, or parked in a DLQ; none lost, none stuck. */
export function conservationHolds(summary: RunSummary): boolean {
  return summary.totals.lost === 0 && summary.totals.stuck === 0;
}

/** The end-of-run table: what happened to every message, and the conservation check. */
export function summaryTable(summary: RunSummary): string {
  const { totals } = summary;
  const announced = `${totals.deadLettersAnnounced} of ${totals.deadLettersSent} announced, ${summary.notificationFailures} event publish failures logged and counted`;
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
    ['redriven (DLQ -> queue)', String(totals.redriven)],
    ['dead letters announced on the topic', announced],
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
      'injected AWS faults',
      `${summary.injected.sqsThrottled} SQS throttles, ${summary.injected.snsFailed} SNS publish failures`,
    ],
    ...(summary.outage === undefined
      ? []
      : ([
          [
            'outage',
            `${summary.outage.invocationsDuringOutage} invocations during it (${summary.outage.failedDownstreamCalls} downstream calls refused), ` +
              `consumer paused ${summary.outage.pauses}x / resumed ${summary.outage.resumes}x, ` +
              `drained ${summary.outage.drainSecondsAfterRecovery.toFixed(1)} s after recovery`,
          ],
        ] as [string, string][])),
    ['alarm transitions', summary.alarms.length === 0 ? 'none' : summary.alarms.join('; ')],
    [
      'throughput',
      `${(totals.processed / Math.max(summary.seconds, 0.001)).toFixed(0)} msg/s over ${summary.seconds.toFixed(1)} s`,
    ],
    [
      'conservation',
      conservationHolds(summary)
        ? `PASS: all ${totals.produced} messages accounted for (processed or in the DLQ), 0 lost, 0 stuck`
        : `FAIL: ${totals.lost} lost, ${totals.stuck} stuck`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}
