import type { LedgerTotals } from '../../local/report/conservationLedger.js';
import type { RunSample, RunSubject } from '../../local/report/runSample.js';

/** Ledger totals of a run, zero unless given. */
export function ledgerTotals(overrides: Partial<LedgerTotals> = {}): LedgerTotals {
  return {
    produced: 0,
    processed: 0,
    retried: 0,
    deadLettered: 0,
    everDeadLettered: 0,
    redriven: 0,
    redrivenAndDeadLetteredAgain: 0,
    movedWithoutMetadata: 0,
    notifications: {},
    deadLettersSent: 0,
    deadLettersAnnounced: 0,
    duplicates: 0,
    stuck: 0,
    lost: 0,
    deadLetteredEarly: 0,
    ...overrides,
  };
}

/** A moment of a demo run: an idle pipeline unless given. */
export function runSample(
  overrides: Partial<Omit<RunSample, 'totals'>> & { totals?: Partial<LedgerTotals> } = {},
): RunSample {
  const { totals, ...rest } = overrides;
  return {
    at: 0,
    totals: ledgerTotals(totals),
    visible: 0,
    inFlight: 0,
    inBackoff: 0,
    backoffFrom: undefined,
    backoffUntil: undefined,
    deadLetterDepth: 0,
    breaker: 'closed',
    invocationsRunning: 0,
    longestInvocationMs: 0,
    alarms: {},
    redriveCooldownUntil: undefined,
    ...rest,
  };
}

export const RUN_SUBJECT: RunSubject = {
  workQueue: {
    logicalId: 'Queue',
    name: 'orders',
    url: 'http://localhost/orders',
    arn: 'arn:aws:sqs:us-east-1:000000000000:orders',
    fifo: false,
    attributes: {},
  },
  deadLetterQueues: [],
  redriveCooldownMs: 15_000,
  healthAlarm: 'ConsumerHealth',
  breakerProbeEveryMs: 5_000,
  fullConcurrency: 5,
};
