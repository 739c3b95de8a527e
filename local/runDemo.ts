import { join } from 'node:path';
import { plural } from '../cli/support/plural.js';
import { BATCH_CONFIG_ENV_VAR, type BatchConfig } from '../lib/config/batchConfig.js';
import { readFailureMetadata } from '../lib/events/index.js';
import { compressedWaitsContext } from './assembly/compressedWaits.js';
import { synthesizeApp } from './assembly/synthesizeApp.js';
import type { SlowAws } from './faults/awsFaultProxy.js';
import { DownstreamService, type OutageWindow } from './faults/downstreamService.js';
import { LocalRuntime } from './localRuntime.js';
import { type AlarmTimelineEntry, alarmTimelineTable, alarmWhy } from './report/alarmTimeline.js';
import { ConservationLedger } from './report/conservationLedger.js';
import { ProgressDisplay } from './report/progressDisplay.js';
import {
  type RunSample,
  type RunSubject,
  runSubject,
  sampleRun,
  shortAlarmName,
} from './report/runSample.js';
import { RunRecorder, type RunTimeline } from './report/runTimeline.js';
import { conservationHolds, type RunSummary, summaryTable } from './report/summaryTable.js';
import { waitingFor } from './report/waitingFor.js';
import { countIgnored, type FanOutRun, fanOutLine, fanOutRun } from './traffic/fanOut.js';
import type { FaultMix } from './traffic/faultMix.js';
import { planMessages, publishMessages, seededRandom, sendMessages } from './traffic/trafficDriver.js';

export interface DemoOptions {
  readonly projectDirectory: string;
  /** Where the local synthesis goes (kept apart from the deploy's cdk.out). */
  readonly assemblyDirectory?: string;
  readonly synth: 'auto' | 'force' | 'skip';
  readonly messages: number;
  readonly faults: FaultMix;
  readonly seed: number;
  readonly timeScale: number;
  readonly port: number;
  readonly region: string;
  /** Give up waiting for the last messages after this long. */
  readonly maxWaitSeconds: number;
  /** How long nothing may change (DLQ, redrives) before the run counts as finished. */
  readonly quietSeconds?: number;
  readonly keepRunning: boolean;
  readonly verbose: boolean;
  /** Context for the synthesis beyond the demo's own (fault injection on). */
  readonly context?: Readonly<Record<string, string>>;
  readonly write: (line: string) => void;
  readonly interactive?: boolean;
  /** Make the worker's downstream dependency fail for a while (it calls a simulated service). */
  readonly outage?: OutageWindow;
  /** Send the messages spread evenly at this rate instead of all at once. */
  readonly ratePerSecond?: number;
  /** The functions' SQS and SNS calls answer late or never (`npm run soak -- --slow-aws`). */
  readonly slowAws?: SlowAws;
  /**
   * Called once the runtime is up, before traffic starts (the console attaches here), with the run's
   * timeline so far: what the run report will draw, for a live view.
   */
  readonly onRuntime?: (runtime: LocalRuntime, timeline: () => RunTimeline) => void | Promise<void>;
}

export interface DemoResult {
  readonly summary: RunSummary;
  readonly conserved: boolean;
  /** What happened over time: samples, alarm changes, pauses (for the run report). */
  readonly timeline: RunTimeline;
  /** The fan-out topology's run: the producers' topic and what its filter policy kept out. */
  readonly fanOut?: FanOutRun;
  /** Still running when `keepRunning` was asked for (keepRunningBlock says how to reach it). */
  readonly runtime: LocalRuntime | undefined;
}

/**
 * `npm start`: synthesizes the app, runs it on the embedded server, sends demo traffic with the fault
 * mix, follows every message to the end and reports what happened to each, with a conservation check.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { write } = options;
  const assemblyDirectory =
    options.assemblyDirectory ?? join(options.projectDirectory, '.local-runtime', 'cdk.out');
  if (options.synth !== 'skip') {
    write('Synthesizing the CDK app (functions bundled with the local esbuild)...');
    const synthesized = await synthesizeApp({
      projectDirectory: options.projectDirectory,
      outputDirectory: assemblyDirectory,
      context: {
        'sqs-failsafe:faultInjection': 'true',
        ...compressedWaitsContext(options.projectDirectory, options.timeScale),
        ...options.context,
      },
      force: options.synth === 'force',
    });
    write(
      synthesized
        ? `  synthesized into ${assemblyDirectory}`
        : `  reusing the fresh assembly in ${assemblyDirectory}`,
    );
  }

  const ledger = { current: undefined as ConservationLedger | undefined };
  const fanOut = { current: undefined as FanOutRun | undefined };
  const downstream = options.outage === undefined ? undefined : new DownstreamService(options.outage);
  const outageStats = { invocationsDuringOutage: 0, pauses: 0, resumes: 0 };
  const recorder = new RunRecorder(options.timeScale);
  // Events go above the live display once it is up, and straight out before.
  const show = { log: write };
  const started: { runtime?: LocalRuntime } = {};
  let functionLogLines = 0;
  if (downstream !== undefined) await downstream.start();
  const runtime = await LocalRuntime.start({
    assemblyDirectory,
    port: options.port,
    region: options.region,
    timeScale: options.timeScale,
    faultRates: {
      sqsThrottle: options.faults.sqsThrottle,
      snsPublishFailure: options.faults.snsPublishFailure,
      ...(options.slowAws === undefined ? {} : { slowAws: options.slowAws }),
    },
    defaultConcurrency: 5,
    ...(downstream === undefined ? {} : { extraEnvironment: { WORKER_DEPENDENCY_URL: downstream.endpoint } }),
    onMappingChange: (enabled) => {
      if (enabled) outageStats.resumes += 1;
      else outageStats.pauses += 1;
      recorder.mapping(enabled);
      show.log(
        enabled
          ? '  consumer resumed (event source mapping enabled)'
          : '  consumer paused by the circuit breaker (event source mapping disabled)',
      );
    },
    onLogLine: (name, line) => {
      functionLogLines += 1;
      if (options.verbose) show.log(`  [${name}] ${line}`);
    },
    onTurn: (turn) => {
      ledger.current?.received(turn.records.map((record) => record.body));
      countIgnored(
        fanOut.current,
        turn.records.map((record) => record.body),
      );
      if (downstream?.isDown() === true) outageStats.invocationsDuringOutage += 1;
    },
    onAlarm: (transition) => {
      // Alarms starting up (no data -> OK) are routine; what follows is the story worth telling.
      if (transition.previous === 'INSUFFICIENT_DATA' && transition.state === 'OK') return;
      const current = started.runtime;
      const spec =
        current === undefined
          ? undefined
          : [...current.resources.alarms, ...current.resources.compositeAlarms].find(
              (alarm) => alarm.name === transition.alarmName,
            );
      const entry: AlarmTimelineEntry = {
        at: Date.now(),
        alarm: shortAlarmName(transition.alarmName),
        previous: transition.previous,
        state: transition.state,
        why: alarmWhy(spec, transition.reason, current?.alarmStates ?? new Map()),
        actions: transition.actions.length,
      };
      recorder.alarm(entry);
      show.log(`  alarm ${entry.alarm} ${entry.previous} -> ${entry.state}: ${entry.why}`);
    },
  });
  started.runtime = runtime;
  let keepAlive = false;
  try {
    write(
      `Embedded SQS/SNS server at ${runtime.endpoint} (time runs ${options.timeScale}x faster for waits)`,
    );
    reportResources(runtime, write);
    await options.onRuntime?.(runtime, () => recorder.timeline());

    const subject = runSubject(runtime, options.timeScale);
    const workQueues = runtime.resources.mappings.map((mapping) => mapping.queue);
    const target = subject.workQueue;
    const consumer = runtime.functions.get(runtime.resources.mappings[0]?.functionName ?? '');
    fanOut.current = fanOutRun(runtime.resources, options.messages);
    ledger.current = new ConservationLedger(
      new Set(workQueues.map((queue) => queue.name)),
      new Set(subject.deadLetterQueues.map((queue) => queue.name)),
      new Set(
        [...runtime.resources.topics.values()]
          .filter((topic) => topic.arn !== fanOut.current?.topicArn)
          .map((topic) => topic.name),
      ),
      attemptsOf(consumer?.spec.environment, downstream !== undefined),
    );
    const plan = planMessages(options.messages, options.faults, seededRandom(options.seed));
    ledger.current.produced(plan);

    write(
      fanOut.current === undefined
        ? `Sending ${plural(options.messages, 'task message')} to ${target.name} with faults ${describeFaults(options.faults)}`
        : `Publishing ${plural(options.messages, 'task message')} to the topic ${fanOut.current.topicName}, which ` +
            `${target.name} is subscribed to, with faults ${describeFaults(options.faults)}`,
    );
    const startedAt = Date.now();
    recorder.start(startedAt);
    const progress = new ProgressDisplay(options.messages, {
      write,
      interactive: options.interactive ?? process.stdout.isTTY === true,
    });
    show.log = (line) => progress.log(line);
    const functionTimeoutSeconds = consumer?.spec.timeoutSeconds ?? 30;
    const sending =
      fanOut.current === undefined
        ? sendMessages(runtime.sqs, target.url, plan, {
            functionTimeoutSeconds,
            fifo: target.fifo,
            ratePerSecond: options.ratePerSecond,
          })
        : publishMessages(runtime.sns, fanOut.current.topicArn, plan, {
            functionTimeoutSeconds,
            fifo: target.fifo,
            taskKind: fanOut.current.taskKind,
            ignored: fanOut.current.ignored,
            ratePerSecond: options.ratePerSecond,
          });
    let finishedAt: number;
    try {
      finishedAt = await waitUntilSettled(
        runtime,
        subject,
        ledger.current,
        options,
        sending,
        downstream,
        (sample) => {
          recorder.record(sample);
          progress.update(sample, waitingFor(sample, subject));
        },
      );
    } finally {
      progress.stop();
      show.log = write;
    }
    ledger.current.ingest(runtime.drainServerEvents());
    recorder.record(await sampleRun(runtime, subject, ledger.current.totals()), true);

    const summary: RunSummary = {
      totals: ledger.current.totals(),
      seconds: (finishedAt - startedAt) / 1_000,
      deadLettersWithoutMetadata: subject.deadLetterQueues.reduce(
        (sum, queue) => sum + withoutMetadata(runtime, queue.name),
        0,
      ),
      notificationFailures: workQueues.reduce(
        (sum, queue) =>
          sum +
          (runtime.metrics.statistic(
            'SqsFailsafe',
            'NotificationsFailed',
            [{ name: 'QueueName', value: queue.name }],
            'Sum',
            0,
            Number.POSITIVE_INFINITY,
          ) ?? 0),
        0,
      ),
      injected: { ...runtime.proxy.counts },
      invocations: [...runtime.functions.values()].map((fn) => ({
        name: shortFunctionName(fn.spec.logicalId),
        total: fn.stats.invocations,
        errors: fn.stats.errors,
        timeouts: fn.stats.timeouts,
        throttles: fn.stats.throttles,
      })),
      alarmTransitions: recorder.alarms.length,
      ...(downstream === undefined
        ? {}
        : {
            outage: {
              invocationsDuringOutage: outageStats.invocationsDuringOutage,
              failedDownstreamCalls: downstream.counts.failedDuringOutage,
              pauses: outageStats.pauses,
              resumes: outageStats.resumes,
              drainSecondsAfterRecovery: Math.max(
                0,
                (finishedAt - (downstream.recoversAt ?? finishedAt)) / 1_000,
              ),
            },
          }),
    };
    write('');
    write('Summary');
    write(summaryTable(summary));
    for (const early of ledger.current.earlyDeadLetters()) write(`  dead-lettered early: ${early}`);
    if (recorder.alarms.length > 0) {
      write('');
      write(`Alarm timeline (on AWS: the same run with waits ${options.timeScale}x longer)`);
      write(alarmTimelineTable(recorder.alarms, startedAt, options.timeScale));
    }
    if (!options.verbose && functionLogLines > 0)
      write(`  (${plural(functionLogLines, 'function log line')} hidden; --verbose shows them)`);
    if (fanOut.current !== undefined) {
      write('');
      write(fanOutLine(fanOut.current, options.messages));
    }

    keepAlive = options.keepRunning;
    return {
      summary,
      conserved: conservationHolds(summary) && (fanOut.current?.reachedQueue ?? 0) === 0,
      ...(fanOut.current === undefined ? {} : { fanOut: fanOut.current }),
      timeline: recorder.timeline(finishedAt),
      runtime: keepAlive ? runtime : undefined,
    };
  } finally {
    if (!keepAlive) {
      await runtime.stop();
      await downstream?.stop();
    }
  }
}

/** One line on what a run did, for a report's subtitle: `1,000 messages, faults ..., waits 60x faster`. */
export function runDescription(messages: number, faults: string, timeScale: number): string {
  return `${plural(messages, 'message')}, faults ${faults}, waits ${timeScale}x faster than on AWS, ${new Date().toISOString()}`;
}

/**
 * What to paste into another shell to look at the running pipeline with the CLI: the endpoint, region and
 * credentials (any values do for the embedded server), and one ready command each for peek, stats, a
 * dry-run redrive of its queues and doctor.
 */
export function keepRunningBlock(runtime: LocalRuntime, region: string): string[] {
  const subject = runSubject(runtime, 1);
  const dlq = subject.deadLetterQueues[0]?.name ?? '<dlq>';
  const queue = subject.workQueue.name;
  return [
    'Still running. In another shell, in this repository, paste:',
    '',
    `  export AWS_ENDPOINT_URL=${runtime.endpoint} AWS_REGION=${region} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local ` +
      // doctor reads the emulated Lambda, CloudWatch and EventBridge APIs as well, each on a port of its own.
      `AWS_ENDPOINT_URL_LAMBDA=${runtime.lambdaEndpoint} AWS_ENDPOINT_URL_CLOUDWATCH=${runtime.cloudWatchEndpoint} ` +
      `AWS_ENDPOINT_URL_EVENTBRIDGE=${runtime.eventBridgeEndpoint}`,
    `  npx sqs-failsafe peek ${dlq}`,
    `  npx sqs-failsafe stats ${queue} ${dlq}`,
    `  npx sqs-failsafe redrive ${dlq} --source ${queue} --dry-run`,
    '  npx sqs-failsafe doctor',
    '',
    ...[...runtime.resources.queues.values()].map((each) => `  queue ${each.name}: ${each.url}`),
    'Press Ctrl+C to stop.',
  ];
}

/** Waits until every task is processed or parked in a DLQ and nothing has changed for a quiet period. */
async function waitUntilSettled(
  runtime: LocalRuntime,
  subject: RunSubject,
  ledger: ConservationLedger,
  options: DemoOptions,
  sending: Promise<void>,
  downstream: DownstreamService | undefined,
  observe: (sample: RunSample) => void,
): Promise<number> {
  let sendError: unknown;
  let sent = false;
  sending.then(
    () => {
      sent = true;
    },
    (error: unknown) => {
      sendError = error;
    },
  );
  const deadline = Date.now() + options.maxWaitSeconds * 1_000;
  const quietMs = (options.quietSeconds ?? 3) * 1_000;
  let lastChange = Date.now();
  let settledAt: number | undefined;
  let previous = '';
  while (Date.now() < deadline) {
    if (sendError !== undefined) throw sendError;
    await new Promise((resolve) => setTimeout(resolve, 250));
    ledger.ingest(runtime.drainServerEvents());
    const totals = ledger.totals();
    observe(await sampleRun(runtime, subject, totals));
    const fingerprint = JSON.stringify([
      totals.processed,
      totals.deadLettered,
      totals.redriven,
      totals.stuck,
      totals.deadLettersSent,
    ]);
    if (fingerprint !== previous) {
      previous = fingerprint;
      lastChange = Date.now();
    }
    const busy = [...runtime.functions.values()].some((fn) => fn.busyInstances > 0);
    const accounted = sent && totals.stuck === 0 && totals.processed + totals.deadLettered >= totals.produced;
    if (accounted) settledAt ??= Date.now();
    else settledAt = undefined;
    // During an outage everything may sit still in the DLQ or paused: what happens after it is the point.
    const outageOver = (downstream?.recoversAt ?? 0) <= Date.now();
    if (accounted && !busy && outageOver && Date.now() - lastChange >= quietMs)
      return settledAt ?? Date.now();
  }
  return Date.now();
}

/**
 * The attempts the deployed consumer gives a message (from the configuration the construct wrote), and
 * whether a downstream outage may fail any task, so that dead letters are judged by attempts alone.
 */
function attemptsOf(
  environment: Readonly<Record<string, string>> | undefined,
  outage: boolean,
): { maxAttempts: number; anyTaskMayFail: boolean } | undefined {
  const text = environment?.[BATCH_CONFIG_ENV_VAR];
  if (text === undefined) return undefined;
  try {
    const maxAttempts = (JSON.parse(text) as BatchConfig).deadLetter?.maxAttempts;
    return maxAttempts === undefined ? undefined : { maxAttempts, anyTaskMayFail: outage };
  } catch {
    return undefined;
  }
}

function withoutMetadata(runtime: LocalRuntime, queueName: string): number {
  const state = runtime.server.inspectQueue(queueName);
  const messages = [
    ...(state?.messages.ready ?? []),
    ...(state?.messages.delayed ?? []),
    ...(state?.messages.inflight ?? []).map((entry) => entry.message),
  ];
  return messages.filter((message) => readFailureMetadata(message.messageAttributes ?? {}) === undefined)
    .length;
}

function reportResources(runtime: LocalRuntime, write: (line: string) => void): void {
  const { resources } = runtime;
  write(
    `  ${plural(resources.queues.size, 'queue')}, ${plural(resources.topics.size, 'topic')}, ` +
      `${plural(resources.functions.size, 'function')}, ${plural(resources.mappings.length, 'event source mapping')}, ` +
      `${plural(resources.alarms.length + resources.compositeAlarms.length, 'alarm')}, ` +
      `${plural(resources.schedules.length, 'schedule')}`,
  );
  if (resources.notEmulated.size > 0) {
    const listed = [...resources.notEmulated].map(([type, count]) => `${type} x${count}`).join(', ');
    write(`  warning: not emulated locally (no effect here): ${listed}`);
  }
}

function describeFaults(faults: FaultMix): string {
  const parts = [
    ...Object.entries(faults.messages)
      .filter(([, rate]) => rate > 0)
      .map(([kind, rate]) => `${kind}=${rate}`),
    ...(faults.snsPublishFailure > 0 ? [`sns=${faults.snsPublishFailure}`] : []),
    ...(faults.sqsThrottle > 0 ? [`throttle=${faults.sqsThrottle}`] : []),
  ];
  return parts.length === 0 ? 'none' : parts.join(',');
}

/** `WorkerConsumer5E8F8AF4` -> `WorkerConsumer`: the template's logical id without CDK's hash. */
function shortFunctionName(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}
