import type {
  NativeTaskReport,
  RedriveCounts,
  RedriveMessageOutcome,
  RedrivePlan,
  RedriveProgress,
  RedriveReport,
  RedriveStopReason,
} from './redriveReport.js';

type Counter = keyof RedriveCounts;

/**
 * Which counter each per-message action adds to (`capped` is added by both capped and parked, unless the
 * message was parked by a `park` run rather than by the cap).
 */
const COUNTER_OF: Record<RedriveMessageOutcome['action'], Counter> = {
  moved: 'moved',
  'would-move': 'moved',
  'skipped-by-filter': 'skippedByFilter',
  capped: 'capped',
  parked: 'parked',
  'would-park': 'parked',
  deleted: 'deleted',
  'would-delete': 'deleted',
  failed: 'failed',
  blocked: 'blocked',
  duplicated: 'duplicated',
};

/**
 * The counts and per-message outcomes of one run, and the report built from them. Every message is
 * recorded once, with its final action, so the counts always add up to what was received.
 */
export class RedriveTally {
  readonly #counts: Record<Counter, number> = {
    received: 0,
    moved: 0,
    skippedByFilter: 0,
    capped: 0,
    parked: 0,
    deleted: 0,
    failed: 0,
    blocked: 0,
    duplicated: 0,
    previouslyRedriven: 0,
  };
  readonly #messages: RedriveMessageOutcome[] = [];
  readonly #movedByDestination: Record<string, number> = {};
  readonly #unpairedDestinations: Record<string, number> = {};
  readonly #reportLimit: number;
  readonly #startedAt: number;
  #omitted = 0;

  constructor(reportLimit: number, startedAt: number = Date.now()) {
    this.#reportLimit = reportLimit;
    this.#startedAt = startedAt;
  }

  get counts(): Readonly<RedriveCounts> {
    return this.#counts;
  }

  get startedAt(): number {
    return this.#startedAt;
  }

  /** A message seen for the first time in this run. */
  received(previouslyRedriven: boolean): void {
    this.#counts.received += 1;
    if (previouslyRedriven) this.#counts.previouslyRedriven += 1;
  }

  record(outcome: RedriveMessageOutcome, parkedByCap = true): void {
    this.#counts[COUNTER_OF[outcome.action]] += 1;
    if (parkedByCap && (outcome.action === 'parked' || outcome.action === 'would-park'))
      this.#counts.capped += 1;
    if (
      (outcome.action === 'moved' || outcome.action === 'would-move') &&
      outcome.destinationUrl !== undefined
    ) {
      this.#movedByDestination[outcome.destinationUrl] =
        (this.#movedByDestination[outcome.destinationUrl] ?? 0) + 1;
    }
    if (outcome.unpairedDestinationUrl !== undefined) {
      this.#unpairedDestinations[outcome.unpairedDestinationUrl] =
        (this.#unpairedDestinations[outcome.unpairedDestinationUrl] ?? 0) + 1;
    }
    if (this.#messages.length < this.#reportLimit) this.#messages.push(outcome);
    else this.#omitted += 1;
  }

  /** A message first reported duplicated was deleted after all: the move completed. */
  resolveDuplicate(messageId: string, destinationUrl: string | undefined): void {
    this.#counts.duplicated -= 1;
    this.#counts.moved += 1;
    if (destinationUrl !== undefined) {
      this.#movedByDestination[destinationUrl] = (this.#movedByDestination[destinationUrl] ?? 0) + 1;
    }
    const index = this.#messages.findIndex(
      (outcome) => outcome.messageId === messageId && outcome.action === 'duplicated',
    );
    if (index >= 0)
      this.#messages[index] = {
        ...(this.#messages[index] as RedriveMessageOutcome),
        action: 'moved',
        reason: undefined,
      };
  }

  /** Native strategy: the task's own count replaces the per-message one. */
  setMoved(moved: number): void {
    this.#counts.moved = moved;
  }

  progress(plan: RedrivePlan, approximateTotal: number | undefined): RedriveProgress {
    return {
      ...this.#counts,
      strategy: plan.strategy,
      elapsedMs: Date.now() - this.#startedAt,
      approximateTotal,
    };
  }

  report(
    plan: RedrivePlan,
    stopReason: RedriveStopReason,
    nativeTask?: NativeTaskReport,
    now: number = Date.now(),
  ): RedriveReport {
    const durationMs = Math.max(0, now - this.#startedAt);
    return {
      ...this.#counts,
      strategy: plan.strategy,
      strategyReason: plan.strategyReason,
      dryRun: plan.dryRun,
      dlqUrl: plan.dlqUrl,
      dlqArn: plan.dlqArn,
      stopReason,
      startedAt: new Date(this.#startedAt).toISOString(),
      durationMs,
      ratePerSecond: durationMs === 0 ? 0 : Math.round((this.#counts.moved / durationMs) * 1_000 * 10) / 10,
      movedByDestination: { ...this.#movedByDestination },
      unpairedDestinations: { ...this.#unpairedDestinations },
      messages: [...this.#messages],
      messagesOmitted: this.#omitted,
      ...(nativeTask === undefined ? {} : { nativeTask }),
    };
  }
}
