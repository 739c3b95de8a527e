import type { ApiCallTally } from '../../local/apiCalls/apiCallCounter.js';

/** What a scenario asks of one message. */
export interface PlannedTask {
  readonly taskId: string;
  /** Its body fails validation: no handler can ever process it. */
  readonly poison: boolean;
  /** How many of its first downstream calls fail (transient failures), 0 for none. */
  readonly failCalls: number;
}

/** One delivery of a message to the consumer: the invocation it was part of, in real epoch ms. */
export interface Delivery {
  readonly start: number;
  readonly end: number;
}

/** What happened to one message, from the consumer's invocations, the downstream and the queues. */
export interface TaskTrace {
  readonly deliveries: Delivery[];
  failedCalls: number;
  /** When its first downstream call succeeded (its work was done), real epoch ms. */
  firstSuccessAt: number | undefined;
  /** When it first reached the DLQ, real epoch ms. */
  firstDeadLetteredAt: number | undefined;
}

/** What one function used during a run. */
export interface FunctionUsage {
  readonly name: string;
  /** The function the work queue's event source mapping invokes, or another of the stack's functions. */
  readonly role: 'consumer' | 'other';
  readonly memoryMb: number;
  readonly invocations: number;
  /** Invocation durations rounded up to the millisecond each, summed. */
  readonly billedDurationMs: number;
  /** Execution environment start-ups, billed since 2025-08-01. */
  readonly initDurationMs: number;
  readonly logBytes: number;
}

/** Monthly costs that do not grow with messages: what the stack's template declares. */
export interface FixedResources {
  /** Metrics the alarms read (a metric-math alarm is billed per metric in its expression). */
  readonly alarmMetrics: number;
  readonly compositeAlarms: number;
  readonly dashboards: number;
  /** Custom metric series the functions wrote (Embedded Metric Format). */
  readonly customMetrics: number;
}

/**
 * The raw measurements of one stack running one scenario: everything the suite's figures are computed
 * from (accountRun), with no figure computed yet, so the accounting can be checked on known inputs.
 */
export interface RunRecord {
  readonly contender: string;
  readonly scenario: string;
  readonly timeScale: number;
  /** The long-poll wait of the local pollers, in real seconds (Lambda's pollers wait 20 s of AWS time). */
  readonly pollWaitSeconds: number;
  readonly tasks: readonly PlannedTask[];
  readonly traces: ReadonlyMap<string, TaskTrace>;
  /** Every AWS call counted, functions', pollers' and the producer's, up to the end of the run. */
  readonly apiCalls: readonly ApiCallTally[];
  readonly functions: readonly FunctionUsage[];
  /** Every consumer invocation's duration in ms, as measured (billed rounded up). */
  readonly consumerDurationsMs: readonly number[];
  readonly fixed: FixedResources;
  /** From the first send to the last change (deliveries, successes, dead letters), real ms. */
  readonly elapsedMs: number;
  /** Whether every healthy message succeeded and every poison message sat in the DLQ in the time allowed. */
  readonly settled: boolean;
}
