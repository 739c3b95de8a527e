import type { ApiCaller } from '../../local/apiCalls/apiCallCounter.js';
import { percentile } from '../support/percentile.js';
import { awsSecondsToSuccess } from './awsTime.js';
import {
  awsEquivalentCalls,
  type BillableUnits,
  billableUnits,
  type CallsByService,
  callsByService,
  emptyLongPollScale,
} from './billableUnits.js';
import { dollarsFor, PRICES } from './prices.js';
import type { FunctionUsage, RunRecord } from './runRecord.js';

/** Dollars of a run, by what they pay for. */
export interface RunCost {
  readonly lambdaRequests: number;
  readonly lambdaDuration: number;
  readonly sqs: number;
  readonly sns: number;
  readonly cloudWatch: number;
  readonly logs: number;
  readonly dynamoDb: number;
  readonly total: number;
}

/** Everything the suite reports for one stack and scenario. */
export interface RunFigures {
  readonly contender: string;
  readonly scenario: string;
  readonly messages: number;
  readonly invocations: { readonly consumer: number; readonly other: number };
  /** Billed GB-seconds of every function (invocations rounded up to the ms, and start-ups). */
  readonly gbSeconds: number;
  readonly calls: CallsByService;
  /** Every operation called, by whom, AWS-equivalent (empty long polls scaled), most called first. */
  readonly callsByAction: readonly {
    readonly caller: ApiCaller;
    readonly service: string;
    readonly action: string;
    readonly calls: number;
    readonly entries: number;
  }[];
  readonly billable: BillableUnits;
  /** What each function used, as measured. */
  readonly functions: readonly FunctionUsage[];
  /** The consumer's invocation durations, ms. */
  readonly consumerDuration: { readonly p50: number; readonly p90: number; readonly max: number } | undefined;
  readonly cost: RunCost;
  readonly dollarsPerMillionMessages: number;
  /** Healthy messages whose work failed at least once, or that were delivered again before it succeeded. */
  readonly failedAtLeastOnce: number;
  /** AWS seconds from first receive to success of those messages, when there are any. */
  readonly timeToSuccess: { readonly p50: number; readonly p99: number } | undefined;
  /** Messages that were not poison and reached the DLQ at least once (redriven since or not). */
  readonly healthyDeadLettered: number;
  /** Healthy messages whose work never succeeded within the run. */
  readonly healthyUnfinished: number;
  readonly poison: {
    readonly count: number;
    /** Receives before each reached the DLQ, the mean and the most. */
    readonly receivesBeforeDeadLetter: { readonly mean: number; readonly max: number } | undefined;
    /** Receives of each over the whole run (a redrive brings some back), the mean. */
    readonly receivesInRun: number | undefined;
    readonly neverDeadLettered: number;
  };
  /** Length of the run in AWS time: first send to last change. */
  readonly awsMinutes: number;
  readonly settled: boolean;
}

/** Turns a run's raw measurements into its figures and its cost at the public prices (prices.ts). */
export function accountRun(record: RunRecord): RunFigures {
  const emptyPollScale = emptyLongPollScale(record.timeScale, record.pollWaitSeconds);
  const billable = billableUnits(record.apiCalls, emptyPollScale);
  const invocations = { consumer: 0, other: 0 };
  let gbSeconds = 0;
  let logBytes = 0;
  for (const usage of record.functions) {
    invocations[usage.role] += usage.invocations;
    gbSeconds += ((usage.billedDurationMs + usage.initDurationMs) / 1_000) * (usage.memoryMb / 1_024);
    logBytes += usage.logBytes;
  }
  const parts = {
    lambdaRequests: dollarsFor(PRICES.lambdaRequests, invocations.consumer + invocations.other),
    lambdaDuration: dollarsFor(PRICES.lambdaArmGbSecond, gbSeconds),
    sqs: dollarsFor(PRICES.sqsRequests, billable.sqsRequests),
    sns: dollarsFor(PRICES.snsPublishes, billable.snsRequests),
    cloudWatch: dollarsFor(PRICES.cloudWatchRequests, billable.cloudWatchRequests),
    logs: dollarsFor(PRICES.cloudWatchLogsIngestion, logBytes / 1e9),
    dynamoDb:
      dollarsFor(PRICES.dynamoDbWrites, billable.dynamoDbWriteUnits) +
      dollarsFor(PRICES.dynamoDbReads, billable.dynamoDbReadUnits),
  };
  const total = Object.values(parts).reduce((sum, dollars) => sum + dollars, 0);
  const messages = record.tasks.length;

  const waits: number[] = [];
  let failedAtLeastOnce = 0;
  let healthyDeadLettered = 0;
  let healthyUnfinished = 0;
  const poisonBefore: number[] = [];
  const poisonInRun: number[] = [];
  let poisonNeverDeadLettered = 0;
  for (const task of record.tasks) {
    const trace = record.traces.get(task.taskId);
    const deliveries = trace?.deliveries ?? [];
    if (task.poison) {
      poisonInRun.push(deliveries.length);
      const arrived = trace?.firstDeadLetteredAt;
      if (arrived === undefined) poisonNeverDeadLettered += 1;
      else poisonBefore.push(deliveries.filter((delivery) => delivery.start < arrived).length);
      continue;
    }
    if (trace?.firstDeadLetteredAt !== undefined) healthyDeadLettered += 1;
    const successAt = trace?.firstSuccessAt;
    if (successAt === undefined) {
      healthyUnfinished += 1;
      continue;
    }
    const deliveredBefore = deliveries.filter((delivery) => delivery.start <= successAt).length;
    if ((trace?.failedCalls ?? 0) === 0 && deliveredBefore <= 1) continue;
    failedAtLeastOnce += 1;
    const seconds = awsSecondsToSuccess(deliveries, successAt, record.timeScale);
    if (seconds !== undefined) waits.push(seconds);
  }

  return {
    contender: record.contender,
    scenario: record.scenario,
    messages,
    invocations,
    gbSeconds,
    calls: callsByService(record.apiCalls, emptyPollScale),
    callsByAction: record.apiCalls
      .map((tally) => ({
        caller: tally.caller,
        service: tally.service,
        action: tally.action,
        calls: awsEquivalentCalls(tally, emptyPollScale),
        entries: tally.entries,
      }))
      .sort((a, b) => b.calls - a.calls),
    billable,
    functions: record.functions,
    consumerDuration:
      record.consumerDurationsMs.length === 0
        ? undefined
        : {
            p50: percentile(record.consumerDurationsMs, 0.5),
            p90: percentile(record.consumerDurationsMs, 0.9),
            max: Math.max(...record.consumerDurationsMs),
          },
    cost: { ...parts, total },
    dollarsPerMillionMessages: messages === 0 ? 0 : (total / messages) * 1_000_000,
    failedAtLeastOnce,
    timeToSuccess:
      waits.length === 0 ? undefined : { p50: percentile(waits, 0.5), p99: percentile(waits, 0.99) },
    healthyDeadLettered,
    healthyUnfinished,
    poison: {
      count: poisonInRun.length,
      receivesBeforeDeadLetter:
        poisonBefore.length === 0 ? undefined : { mean: mean(poisonBefore), max: Math.max(...poisonBefore) },
      receivesInRun: poisonInRun.length === 0 ? undefined : mean(poisonInRun),
      neverDeadLettered: poisonNeverDeadLettered,
    },
    awsMinutes: (record.elapsedMs * record.timeScale) / 60_000,
    settled: record.settled,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
