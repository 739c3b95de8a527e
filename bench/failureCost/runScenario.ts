import { SQSClient } from '@aws-sdk/client-sqs';
import { ApiCallCounter } from '../../local/apiCalls/apiCallCounter.js';
import { countSdkCalls } from '../../local/apiCalls/countSdkCalls.js';
import { POLL_WAIT_SECONDS } from '../../local/eventSourceMapping/localEventSourceMapping.js';
import { NO_AWS_FAULTS } from '../../local/faults/awsFaultProxy.js';
import { LocalRuntime } from '../../local/localRuntime.js';
import { seededRandom } from '../../local/traffic/trafficDriver.js';
import { BenchCheckError } from '../suite.js';
import { ConcurrentDeliveries } from './concurrentDeliveries.js';
import type { FixedResources, FunctionUsage, RunRecord, TaskTrace } from './runRecord.js';
import { ScenarioDownstream } from './scenarioDownstream.js';
import { type Scenario, taskIdOf } from './scenarios.js';
import { sendTraffic } from './sendTraffic.js';

export interface RunOptions {
  readonly contender: string;
  readonly assemblyDirectory: string;
  readonly scenario: Scenario;
  readonly messages: number;
  readonly seed: number;
  /** How much faster than on AWS waiting runs (the local runtime's time compression). */
  readonly timeScale: number;
  /** The traffic is spread over this much AWS time. */
  readonly trafficMinutes: number;
  /** The run ends this long (AWS time) after the last change, once every message has its outcome. */
  readonly quietMinutes: number;
  /** Gives up after this long (AWS time): the run is then reported unsettled. */
  readonly maxMinutes: number;
  /** How long the downstream takes to answer a call. */
  readonly downstreamLatencyMs: number;
  /** Added to every AWS call a function makes (a call to a regional endpoint takes milliseconds). */
  readonly awsCallLatencyMs: number;
  readonly write: (line: string) => void;
}

/**
 * The least a compressed visibility timeout may be, in real seconds. Invocations here last well under a
 * second, so the default floor of the function timeout (30 s, which at 20x is 10 minutes of AWS time) would
 * distort every wait; the run checks afterwards that no message was delivered again while in an invocation.
 */
const VISIBILITY_FLOOR_SECONDS = 1;

/**
 * Runs one contender's stack through one scenario on the local runtime: the scenario's traffic goes to
 * the work queue at a steady rate, and the run follows every message (each delivery, the downstream's
 * record of its work, its arrivals in the DLQ) until every healthy message has succeeded, every poison
 * message has reached the DLQ and nothing has changed for `quietMinutes`. What was counted at the last
 * change is the run's record: idle polling after it is not charged.
 */
export async function runScenario(options: RunOptions): Promise<RunRecord> {
  const { timeScale } = options;
  const awsMinutesToMs = (minutes: number) => (minutes * 60_000) / timeScale;
  const tasks = options.scenario.plan(options.messages, seededRandom(options.seed));
  const traces = new Map<string, TaskTrace>(
    tasks.map((task) => [
      task.taskId,
      { deliveries: [], failedCalls: 0, firstSuccessAt: undefined, firstDeadLetteredAt: undefined },
    ]),
  );
  const downstream = new ScenarioDownstream(
    new Map(tasks.filter((task) => task.failCalls > 0).map((task) => [task.taskId, task.failCalls])),
    options.downstreamLatencyMs,
  );
  const downstreamUrl = await downstream.start();
  let deliveries = 0;
  let longestInvocationMs = 0;
  const concurrentDeliveries = new ConcurrentDeliveries();
  const consumerDurationsMs: number[] = [];
  const runtime = await LocalRuntime.start({
    assemblyDirectory: options.assemblyDirectory,
    port: 0,
    region: 'us-east-1',
    timeScale,
    faultRates: NO_AWS_FAULTS,
    awsCallLatencyMs: options.awsCallLatencyMs,
    visibilityFloorSeconds: VISIBILITY_FLOOR_SECONDS,
    defaultConcurrency: 5,
    extraEnvironment: { WORKER_DEPENDENCY_URL: downstreamUrl },
    onTurn: (turn) => {
      // A cold start delays the batch as much as its invocation does: both hold the messages in flight.
      longestInvocationMs = Math.max(longestInvocationMs, turn.finishedAt - turn.startedAt);
      if ('durationMs' in turn.outcome) consumerDurationsMs.push(turn.outcome.durationMs);
      concurrentDeliveries.add(
        turn.records.map((record) => record.messageId),
        turn.startedAt,
        turn.finishedAt,
      );
      for (const record of turn.records) {
        const trace = traces.get(taskIdOf(record.body) ?? '');
        if (trace === undefined) continue;
        trace.deliveries.push({ start: turn.startedAt, end: turn.finishedAt });
        deliveries += 1;
      }
    },
  });
  const producerCalls = new ApiCallCounter();
  const producer = countSdkCalls(
    new SQSClient({
      region: 'us-east-1',
      endpoint: runtime.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    producerCalls,
    'producer',
  );
  try {
    const workQueue = runtime.resources.mappings[0]?.queue;
    if (workQueue === undefined)
      throw new BenchCheckError(`${options.contender}: the stack has no SQS consumer`);
    const deadLetterArns = new Set(
      [...runtime.resources.queues.values()].flatMap((queue) =>
        queue.attributes.RedrivePolicy === undefined
          ? []
          : [JSON.parse(queue.attributes.RedrivePolicy).deadLetterTargetArn as string],
      ),
    );
    const deadLetterQueues = new Set(
      [...runtime.resources.queues.values()]
        .filter((queue) => deadLetterArns.has(queue.arn))
        .map((q) => q.name),
    );
    const consumers = new Set(runtime.resources.mappings.map((mapping) => mapping.functionName));
    runtime.apiCalls.reset();
    runtime.drainServerEvents();

    const startedAt = Date.now();
    if (options.scenario.outage !== undefined) {
      const { startMinute, minutes } = options.scenario.outage;
      downstream.failBetween(
        startedAt + awsMinutesToMs(startMinute),
        startedAt + awsMinutesToMs(startMinute + minutes),
      );
    }
    let sent = false;
    let sendError: unknown;
    sendTraffic(producer, workQueue.url, tasks, awsMinutesToMs(options.trafficMinutes) / 1_000).then(
      () => {
        sent = true;
      },
      (error: unknown) => {
        sendError = error;
      },
    );

    const take = () => ({
      at: Date.now(),
      apiCalls: [...runtime.apiCalls.snapshot(), ...producerCalls.snapshot()],
      functions: [...runtime.functions.values()].map(
        (fn): FunctionUsage => ({
          name: fn.spec.name,
          role: consumers.has(fn.spec.name) ? 'consumer' : 'other',
          memoryMb: fn.spec.memoryMb,
          invocations: fn.stats.invocations,
          billedDurationMs: fn.stats.billedDurationMs,
          initDurationMs: fn.stats.initDurationMs,
          logBytes: fn.stats.logBytes,
        }),
      ),
    });
    let snapshot = take();
    let fingerprint = '';
    let queueEvents = 0;
    let lastReport = startedAt;
    const deadline = startedAt + awsMinutesToMs(options.maxMinutes);
    let settled = false;
    while (Date.now() < deadline) {
      if (sendError !== undefined) throw sendError;
      await new Promise((resolve) => setTimeout(resolve, 250));
      for (const event of runtime.drainServerEvents()) {
        if (event.service !== 'sqs') continue;
        queueEvents += 1;
        const arrived =
          (deadLetterQueues.has(event.queueName) && event.status === 'published') || event.status === 'dlq';
        if (!arrived) continue;
        const trace = traces.get(taskIdOf(event.body) ?? '');
        if (trace !== undefined) trace.firstDeadLetteredAt ??= event.timestamp;
      }
      let succeeded = 0;
      for (const [taskId, calls] of downstream.calls) {
        const trace = traces.get(taskId);
        if (trace === undefined) continue;
        trace.failedCalls = calls.failed;
        trace.firstSuccessAt = calls.firstSuccessAt;
        if (calls.firstSuccessAt !== undefined) succeeded += 1;
      }
      const current = `${deliveries}/${succeeded}/${queueEvents}`;
      if (current !== fingerprint) {
        fingerprint = current;
        snapshot = take();
      }
      const done = tasks.every((task) => {
        const trace = traces.get(task.taskId);
        return task.poison ? trace?.firstDeadLetteredAt !== undefined : trace?.firstSuccessAt !== undefined;
      });
      const busy = [...runtime.functions.values()].some((fn) => fn.busyInstances > 0);
      if (Date.now() - lastReport >= 10_000) {
        lastReport = Date.now();
        const minutes = ((Date.now() - startedAt) * timeScale) / 60_000;
        options.write(
          `    ${minutes.toFixed(0).padStart(3)} min: ${succeeded.toLocaleString('en-US')} of ${tasks.length.toLocaleString('en-US')} done, ${deliveries.toLocaleString('en-US')} deliveries`,
        );
      }
      if (sent && done && !busy && Date.now() - snapshot.at >= awsMinutesToMs(options.quietMinutes)) {
        settled = true;
        break;
      }
    }

    const visibilitySeconds = Math.max(
      Math.ceil(Number(workQueue.attributes.VisibilityTimeout ?? 30) / timeScale),
      VISIBILITY_FLOOR_SECONDS,
    );
    // A batch held longer than the compressed visibility timeout (a slow cold start on a busy machine) is
    // harmless unless a poller received one of its messages again meanwhile: that is what is checked.
    if (concurrentDeliveries.count > 0) {
      throw new BenchCheckError(
        `${options.contender}/${options.scenario.id}: ${concurrentDeliveries.count} deliveries of a message started ` +
          `while it was still in an invocation (the longest batch took ${Math.round(longestInvocationMs)} ms, the ` +
          `compressed visibility timeout is ${visibilitySeconds} s). Run with a lower time scale.`,
      );
    }
    if (longestInvocationMs > visibilitySeconds * 1_000) {
      options.write(
        `    the longest batch took ${Math.round(longestInvocationMs)} ms, beyond the compressed visibility ` +
          `timeout (${visibilitySeconds} s); no message was delivered again while in it`,
      );
    }
    return {
      contender: options.contender,
      scenario: options.scenario.id,
      timeScale,
      pollWaitSeconds: POLL_WAIT_SECONDS,
      tasks,
      traces,
      apiCalls: snapshot.apiCalls,
      functions: snapshot.functions,
      consumerDurationsMs,
      fixed: fixedResources(runtime),
      elapsedMs: snapshot.at - startedAt,
      settled,
    };
  } finally {
    producer.destroy();
    await runtime.stop();
    await downstream.stop();
  }
}

/** What the stack costs by the month whatever its traffic: alarms, dashboards, custom metrics. */
function fixedResources(runtime: LocalRuntime): FixedResources {
  const { alarms, compositeAlarms, notEmulated } = runtime.resources;
  return {
    alarmMetrics: alarms.reduce(
      (sum, alarm) =>
        sum +
        (alarm.metric === undefined
          ? alarm.metrics.filter((query) => query.metricStat !== undefined).length
          : 1),
      0,
    ),
    compositeAlarms: compositeAlarms.length,
    dashboards: notEmulated.get('AWS::CloudWatch::Dashboard') ?? 0,
    customMetrics: runtime.metrics.seriesKeys().filter((key) => !key.startsWith('AWS/')).length,
  };
}
