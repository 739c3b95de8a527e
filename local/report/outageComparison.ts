import type { RunSummary } from './summaryTable.js';

export interface OutageRun {
  readonly label: string;
  readonly summary: RunSummary;
  readonly conserved: boolean;
}

/** The figures an outage run is judged by, from its summary. */
export function outageFigures(summary: RunSummary) {
  const outage = summary.outage;
  return {
    /** Tasks that reached the DLQ at some point (the redrive function may have moved them back since). */
    deadLettered: summary.totals.everDeadLettered,
    invocationsDuringOutage: outage?.invocationsDuringOutage ?? 0,
    downstreamCallsRefused: outage?.failedDownstreamCalls ?? 0,
    drainSeconds: outage?.drainSecondsAfterRecovery ?? 0,
    pauses: outage?.pauses ?? 0,
    lost: summary.totals.lost,
    stuck: summary.totals.stuck,
  };
}

/**
 * The breaker-off and breaker-on runs side by side, with the on/off ratio for each figure and the
 * verdict on the target: no healthy message dead-lettered with the breaker on.
 */
export function compareOutageRuns(
  off: OutageRun,
  on: OutageRun,
  timeScale: number,
): { table: string; verdict: string; rows: string[][] } {
  const [a, b] = [outageFigures(off.summary), outageFigures(on.summary)];
  const ratio = (x: number, y: number) => (x === 0 ? (y === 0 ? '=' : 'n/a') : `${(y / x).toFixed(2)}x`);
  const drain = (seconds: number) =>
    `${seconds.toFixed(1)} s (${((seconds * timeScale) / 60).toFixed(0)} min on AWS)`;
  const rows: string[][] = [
    ['', off.label, on.label, 'on / off'],
    [
      'messages dead-lettered',
      String(a.deadLettered),
      String(b.deadLettered),
      ratio(a.deadLettered, b.deadLettered),
    ],
    [
      'invocations during the outage',
      String(a.invocationsDuringOutage),
      String(b.invocationsDuringOutage),
      ratio(a.invocationsDuringOutage, b.invocationsDuringOutage),
    ],
    [
      'downstream calls refused',
      String(a.downstreamCallsRefused),
      String(b.downstreamCallsRefused),
      ratio(a.downstreamCallsRefused, b.downstreamCallsRefused),
    ],
    [
      'time to drain after recovery',
      drain(a.drainSeconds),
      drain(b.drainSeconds),
      ratio(a.drainSeconds, b.drainSeconds),
    ],
    ['consumer paused', `${a.pauses}x`, `${b.pauses}x`, ''],
    ['lost / stuck', `${a.lost} / ${a.stuck}`, `${b.lost} / ${b.stuck}`, ''],
  ];
  const widths = (rows[0] as string[]).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const table = rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
  const verdict =
    b.deadLettered === 0
      ? `Target met: with the breaker on, 0 healthy messages were dead-lettered (${a.deadLettered} without it).`
      : `Target missed: with the breaker on, ${b.deadLettered} healthy messages were dead-lettered (${a.deadLettered} without it).`;
  return { table, verdict, rows };
}
