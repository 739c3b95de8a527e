import { ListQueueTagsCommand } from '@aws-sdk/client-sqs';
import { CONSUMER_BREAKER_CONFIG_ENV_VAR } from '../../lib/config/consumerBreakerConfig.js';
import { REDRIVE_CONFIG_ENV_VAR } from '../../lib/config/redriveConfig.js';
import { decodeRedriveState, REDRIVE_STATE_TAG } from '../../lib/redriveFunction/redriveState.js';
import type { AlarmState } from '../alarms/alarmEvaluator.js';
import type { LocalRuntime } from '../localRuntime.js';
import type { LocalQueue } from '../provision/localResources.js';
import type { LedgerTotals } from './conservationLedger.js';

/**
 * `closed`: the consumer polls at full concurrency; `open`: the circuit breaker paused its event source
 * mapping; `half-open`: it polls at the breaker's probe concurrency.
 */
export type BreakerPosition = 'closed' | 'half-open' | 'open';

/** What a demo run looks like at one moment: the figures the live display, the summary and the report read. */
export interface RunSample {
  /** Epoch ms. */
  readonly at: number;
  readonly totals: LedgerTotals;
  /** Work-queue messages waiting for a consumer to receive them. */
  readonly visible: number;
  /** Work-queue messages in a batch an invocation is working on. */
  readonly inFlight: number;
  /** Work-queue messages invisible outside any invocation (a redelivery backoff), or delayed. */
  readonly inBackoff: number;
  /** When the first and the last of those become visible again (epoch ms). */
  readonly backoffFrom: number | undefined;
  readonly backoffUntil: number | undefined;
  /** Messages in the dead-letter queues. */
  readonly deadLetterDepth: number;
  readonly breaker: BreakerPosition;
  /** Invocations of the consumer running now, and for how long the oldest has run (ms). */
  readonly invocationsRunning: number;
  readonly longestInvocationMs: number;
  /** Each alarm's state, by its short name (`ConsumerHealth`). */
  readonly alarms: Readonly<Record<string, AlarmState>>;
  /** While dead letters wait: when the redrive function's cooldown ends (epoch ms), if it has not yet. */
  readonly redriveCooldownUntil: number | undefined;
}

/** The parts of the stack a sample looks at, found once from the synthesized template. */
export interface RunSubject {
  readonly workQueue: LocalQueue;
  readonly deadLetterQueues: readonly LocalQueue[];
  /** Compressed: the redrive function's cooldown in this synthesis is already divided by the time scale. */
  readonly redriveCooldownMs: number | undefined;
  /** The consumer-health alarm the redrive function waits on, by short name. */
  readonly healthAlarm: string | undefined;
  /** How often the breaker controller probes (real ms), when there is one. */
  readonly breakerProbeEveryMs: number | undefined;
  readonly fullConcurrency: number;
}

export function runSubject(runtime: LocalRuntime, timeScale: number): RunSubject {
  const mapping = runtime.mappings[0];
  if (mapping === undefined) {
    throw new Error('Nothing to run: the template has no SQS event source mapping to send demo traffic to.');
  }
  const deadLetterArns = new Set(
    [...runtime.resources.queues.values()].flatMap((queue) =>
      queue.attributes.RedrivePolicy === undefined
        ? []
        : [JSON.parse(queue.attributes.RedrivePolicy).deadLetterTargetArn as string],
    ),
  );
  const functions = [...runtime.functions.values()].map((fn) => fn.spec);
  const redrive = functions.find((fn) => fn.environment[REDRIVE_CONFIG_ENV_VAR] !== undefined);
  const redriveConfig =
    redrive === undefined ? undefined : safeJson(redrive.environment[REDRIVE_CONFIG_ENV_VAR]);
  const breaker = functions.find((fn) => fn.environment[CONSUMER_BREAKER_CONFIG_ENV_VAR] !== undefined);
  const probe = runtime.resources.schedules.find((schedule) =>
    schedule.targets.some((target) => target.arn === breaker?.arn),
  );
  const cooldownSeconds = Number(redriveConfig?.cooldownSeconds ?? Number.NaN);
  return {
    workQueue: mapping.spec.queue,
    deadLetterQueues: [...runtime.resources.queues.values()].filter((queue) => deadLetterArns.has(queue.arn)),
    redriveCooldownMs: Number.isFinite(cooldownSeconds) ? cooldownSeconds * 1_000 : undefined,
    healthAlarm:
      typeof redriveConfig?.healthAlarmName === 'string'
        ? shortAlarmName(redriveConfig.healthAlarmName)
        : undefined,
    breakerProbeEveryMs: probe === undefined ? undefined : (probe.everySeconds * 1_000) / timeScale,
    fullConcurrency: mapping.concurrency,
  };
}

/** Reads the queues, the mapping, the consumer's invocations and the alarms, without touching a message. */
export async function sampleRun(
  runtime: LocalRuntime,
  subject: RunSubject,
  totals: LedgerTotals,
  now = Date.now(),
): Promise<RunSample> {
  const mapping = runtime.mappings[0];
  const inTurn = mapping?.messagesInTurn ?? new Map<string, number>();
  const work = runtime.server.inspectQueue(subject.workQueue.name);
  const waits = [
    ...(work?.messages.inflight ?? [])
      .filter((entry) => !inTurn.has(entry.message.messageId))
      .map((entry) => entry.visibilityDeadline),
    ...(work?.messages.delayed ?? []).map((message) => message.delayUntil ?? now),
  ];
  const deadLetterDepth = subject.deadLetterQueues.reduce((sum, queue) => {
    const state = runtime.server.inspectQueue(queue.name);
    return (
      sum +
      (state?.messages.ready.length ?? 0) +
      (state?.messages.delayed.length ?? 0) +
      (state?.messages.inflight.length ?? 0)
    );
  }, 0);
  const consumer = mapping === undefined ? undefined : runtime.functions.get(mapping.spec.functionName);
  const started = [...inTurn.values()];
  const alarms: Record<string, AlarmState> = {};
  for (const [name, state] of runtime.alarmStates) alarms[shortAlarmName(name)] = state;
  return {
    at: now,
    totals,
    visible: work?.messages.ready.length ?? 0,
    inFlight: inTurn.size,
    inBackoff: waits.length,
    backoffFrom: waits.length === 0 ? undefined : Math.min(...waits),
    backoffUntil: waits.length === 0 ? undefined : Math.max(...waits),
    deadLetterDepth,
    breaker:
      mapping === undefined || !mapping.enabled
        ? 'open'
        : mapping.concurrency < subject.fullConcurrency
          ? 'half-open'
          : 'closed',
    invocationsRunning: consumer?.busyInstances ?? 0,
    longestInvocationMs: started.length === 0 ? 0 : now - Math.min(...started),
    alarms,
    redriveCooldownUntil: deadLetterDepth > 0 ? await redriveCooldownUntil(runtime, subject, now) : undefined,
  };
}

/** The redrive function keeps when it last ran in a tag on the DLQ (lib/redrive/redriveState.ts). */
async function redriveCooldownUntil(runtime: LocalRuntime, subject: RunSubject, now: number) {
  const dlq = subject.deadLetterQueues[0];
  if (dlq === undefined || subject.redriveCooldownMs === undefined) return undefined;
  const { Tags } = await runtime.sqs.send(new ListQueueTagsCommand({ QueueUrl: dlq.url })).catch(() => ({
    Tags: undefined,
  }));
  const { lastRunAt } = decodeRedriveState(Tags?.[REDRIVE_STATE_TAG]);
  const until = lastRunAt + subject.redriveCooldownMs;
  return lastRunAt > 0 && until > now ? until : undefined;
}

/** `SqsFailsafeExample-Worker-0906836A-ConsumerHealth12AB34CD` -> `ConsumerHealth`. */
export function shortAlarmName(alarmName: string): string {
  const last = alarmName.split('-').at(-1) ?? alarmName;
  return last.replace(/[0-9A-F]{8}$/, '') || last;
}

function safeJson(text: string | undefined): Record<string, unknown> | undefined {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}
