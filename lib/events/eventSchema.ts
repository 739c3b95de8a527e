import * as v from 'valibot';

/**
 * Events published on the SNS topic: outcome events from the consumer, and `consumer.paused` /
 * `consumer.resumed` from the consumer breaker's controller. Versioned: fields are only ever added within a schema
 * version; a change that removes or re-types a field increments `schemaVersion`. Subscribers can check an
 * event with `parseFailsafeEvent`, and filter with SNS filter policies on the message attributes
 * `eventType`, `queueName` and `errorClass` (see EVENT_ATTRIBUTES).
 */
import { EVENT_SCHEMA_VERSION } from './eventConstants.js';

export { EVENT_ATTRIBUTES, EVENT_SCHEMA_VERSION } from './eventConstants.js';

const source = v.object({
  queueArn: v.string(),
  queueName: v.string(),
  functionName: v.optional(v.string()),
  requestId: v.optional(v.string()),
});

const message = v.object({
  /** The message's identity: the id of its first send, which its redelivery copies carry. */
  messageId: v.string(),
  /** The SQS id of this delivery, when it is a redelivery copy (so it differs from messageId). */
  deliveryMessageId: v.optional(v.string()),
  messageGroupId: v.optional(v.string()),
  /** SQS receives of this delivery's message (a copy starts again from 1); absent when the record did not carry a usable one. */
  receiveCount: v.optional(v.number()),
  /** ISO 8601: when the message was first sent; absent when the record did not carry a usable one. */
  sentAt: v.optional(v.string()),
  bodySize: v.number(),
  /** Only with `includeBody`, and only when the event still fits in 256 KB. */
  body: v.optional(v.string()),
  bodyOmitted: v.optional(v.literal('too-large')),
});

const error = v.object({ class: v.string(), message: v.string(), permanent: v.boolean() });

/**
 * `attempts`: the message's attempts, the deliveries in which its handler ran (earlier failed ones, and
 * this one when it ran), as its dead letter's history counts them. `calls`: handler calls in this
 * delivery (in-invocation retries are part of one attempt).
 */
const counts = { attempts: v.number(), calls: v.optional(v.number()) };

const base = { schemaVersion: v.literal(EVENT_SCHEMA_VERSION), id: v.string(), time: v.string(), source };

const messageSucceeded = v.object({
  ...base,
  type: v.literal('message.succeeded'),
  message,
  outcome: v.object({ ...counts, durationMs: v.number() }),
});

const messageFailed = v.object({
  ...base,
  type: v.literal('message.failed'),
  message,
  outcome: v.object({
    status: v.picklist(['failed', 'skipped']),
    ...counts,
    durationMs: v.number(),
    error,
    /** Set when dead-letter routing wanted to move the message but could not. */
    deadLetterError: v.optional(v.string()),
  }),
});

const messageRetryScheduled = v.object({
  ...base,
  type: v.literal('message.retry-scheduled'),
  message,
  outcome: v.object({
    ...counts,
    durationMs: v.number(),
    error,
    retryInSeconds: v.number(),
    /** Set when the message comes back as a fresh copy: the copy's SQS message id. */
    copyMessageId: v.optional(v.string()),
  }),
});

const messageDeadLettered = v.object({
  ...base,
  type: v.literal('message.dead-lettered'),
  message,
  outcome: v.object({
    ...counts,
    durationMs: v.number(),
    error,
    deadLetter: v.object({
      queueUrl: v.string(),
      messageId: v.string(),
      reason: v.picklist(['permanent-error', 'max-age-exceeded', 'max-attempts-reached']),
    }),
  }),
});

const batchCompleted = v.object({
  ...base,
  type: v.literal('batch.completed'),
  batch: v.object({
    records: v.number(),
    succeeded: v.number(),
    failed: v.number(),
    retryScheduled: v.number(),
    deadLettered: v.number(),
    timedOut: v.boolean(),
    durationMs: v.number(),
  }),
});

/** The consumer breaker's transitions (published by its controller, not the consumer). */
const consumerFields = {
  /** The event source mapping paused or resumed. */
  mappingUuid: v.string(),
  alarmName: v.string(),
  /** What made the controller act: an alarm state change, or the scheduled probe. */
  trigger: v.picklist(['alarm', 'probe']),
  previousState: v.picklist(['closed', 'open', 'half-open']),
  reason: v.string(),
};

const consumerPaused = v.object({
  ...base,
  type: v.literal('consumer.paused'),
  consumer: v.object({
    ...consumerFields,
    /** ISO 8601: the earliest time the scheduled probe resumes the consumer at half-open concurrency. */
    probeAfter: v.string(),
  }),
});

const consumerResumed = v.object({
  ...base,
  type: v.literal('consumer.resumed'),
  consumer: v.object({
    ...consumerFields,
    /** `half-open`: probing at low concurrency; `full`: back to the configured concurrency. */
    mode: v.picklist(['half-open', 'full']),
    /** Absent when the mapping runs without a maximum concurrency. */
    maximumConcurrency: v.optional(v.number()),
  }),
});

/** What every redrive event says about its run; `source` is the DLQ. */
const redriveRun = {
  runId: v.string(),
  /** health-alarm, dlq-alarm, schedule or manual. */
  startedBy: v.string(),
  /** 0 for the invocation that started the run, then 1, 2, ... for its continuations. */
  continuation: v.number(),
  dlqUrl: v.string(),
  strategy: v.picklist(['manual', 'native']),
  dryRun: v.boolean(),
};

const redriveStarted = v.object({
  ...base,
  type: v.literal('redrive.started'),
  redrive: v.object({
    ...redriveRun,
    /** The DLQ's ApproximateNumberOfMessages at the start. */
    approximateDepth: v.number(),
    maxMessages: v.number(),
  }),
});

const redriveCompleted = v.object({
  ...base,
  type: v.literal('redrive.completed'),
  redrive: v.object({
    ...redriveRun,
    moved: v.number(),
    skippedByFilter: v.number(),
    capped: v.number(),
    parked: v.number(),
    failed: v.number(),
    blocked: v.number(),
    duplicated: v.number(),
    previouslyRedriven: v.number(),
    durationMs: v.number(),
    ratePerSecond: v.number(),
    /** A RedriveStopReason: drained, max-messages, time-budget, aborted (the return breaker), ... */
    stopReason: v.string(),
    /** Another invocation goes on with the run. */
    continues: v.boolean(),
    /** The return breaker (which stops redrives whose messages keep coming back) opened during this run. */
    breakerOpened: v.boolean(),
  }),
});

/**
 * The valibot schema of every event, for subscribers that compose it into their own (parseFailsafeEvent
 * applies it).
 */
export const failsafeEventSchema = v.variant('type', [
  messageSucceeded,
  messageFailed,
  messageRetryScheduled,
  messageDeadLettered,
  batchCompleted,
  consumerPaused,
  consumerResumed,
  redriveStarted,
  redriveCompleted,
]);

export type FailsafeEvent = v.InferOutput<typeof failsafeEventSchema>;
export type FailsafeEventType = FailsafeEvent['type'];
/** The events about one message. */
export type MessageEvent = Extract<FailsafeEvent, { type: `message.${string}` }>;
/** The events about the consumer as a whole: the consumer breaker pausing and resuming it. */
export type ConsumerEvent = Extract<FailsafeEvent, { type: `consumer.${string}` }>;
/** Events the redrive function publishes. */
export type RedriveEvent = Extract<FailsafeEvent, { type: `redrive.${string}` }>;
export type FailsafeEventOf<T extends FailsafeEventType> = Extract<FailsafeEvent, { type: T }>;

/**
 * Parses an event received from the topic (the SNS Message, or the body of an SQS queue subscribed with
 * raw delivery). Throws a ValiError naming the problem when it is not a failsafe event.
 *
 * @example
 * const event = parseFailsafeEvent(JSON.parse(record.body));
 * if (event.type === 'message.dead-lettered') page(event.outcome.error);
 */
export function parseFailsafeEvent(input: unknown): FailsafeEvent {
  return v.parse(failsafeEventSchema, input);
}
