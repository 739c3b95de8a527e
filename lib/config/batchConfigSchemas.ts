import * as v from 'valibot';
import {
  MAX_FUNCTION_TIMEOUT_SECONDS,
  MAX_RETENTION_SECONDS,
  MAX_VISIBILITY_SECONDS,
} from '../aws/serviceLimits.js';
import { type BatchConfigParts, MAX_ATTEMPTS, NOTIFICATION_EVENT_TYPES } from './batchConfig.js';
import {
  backoffDelaysInOrder,
  backoffScheduleStandsAlone,
  retryDelaysInOrder,
  retryScheduleStandsAlone,
} from './schemaPredicates.js';
import { integerIn, numberIn, unknownKey } from './schemaProblems.js';
import { queueUrlSchema, scheduleSchema, topicArnSchema, versionSchema } from './sharedSchemas.js';

/** A retry delay never needs to outlast the invocation it waits in. */
const MAX_DELAY_MS = MAX_FUNCTION_TIMEOUT_SECONDS * 1_000;

/**
 * Schema entries that code options add to parts of the configuration: what JSON cannot hold (functions, a
 * schema, a logger). The configuration itself knows nothing of them.
 */
export interface BatchConfigExtension {
  /** Keys beside the configuration's own (the configuration's `version` is not one of them). */
  readonly top: v.ObjectEntries;
  readonly retry: v.ObjectEntries;
  readonly dependencyBreaker: v.ObjectEntries;
}

/**
 * The configuration's schemas (with `extension`, the code options'), built on each call: the one source of
 * every rule and message. A cold start with a valid configuration never builds them; it runs their compiled
 * form (acceptance/batchConfigAcceptance.ts) instead.
 */
export function batchConfigSchemas(extension?: BatchConfigExtension): BatchConfigParts<v.GenericSchema> {
  const atLeastOne = () =>
    v.optional(v.pipe(v.number('must be a number >= 1'), v.minValue(1, 'must be a number >= 1')));
  const redeliveryBackoff = v.pipe(
    v.strictObject(
      {
        baseSeconds: v.optional(integerIn(0, MAX_VISIBILITY_SECONDS)),
        maxSeconds: v.optional(integerIn(0, MAX_VISIBILITY_SECONDS)),
        multiplier: atLeastOne(),
        scheduleSeconds: v.optional(scheduleSchema('seconds', MAX_VISIBILITY_SECONDS)),
      },
      unknownKey,
    ),
    v.check(
      backoffScheduleStandsAlone,
      'scheduleSeconds cannot be combined with baseSeconds, maxSeconds or multiplier',
    ),
    v.check(backoffDelaysInOrder, 'maxSeconds must be >= baseSeconds'),
  );
  const deadLetter = v.strictObject(
    {
      queueUrl: queueUrlSchema(),
      maxAgeSeconds: v.optional(integerIn(1, MAX_RETENTION_SECONDS)),
      maxAttempts: v.optional(integerIn(1, MAX_ATTEMPTS)),
    },
    unknownKey,
  );
  const notifications = v.strictObject(
    {
      topicArn: topicArnSchema(),
      events: v.optional(
        v.array(
          v.picklist(NOTIFICATION_EVENT_TYPES, `must be one of ${NOTIFICATION_EVENT_TYPES.join(', ')}`),
          'must be a list of event types',
        ),
      ),
      includeBody: v.optional(v.boolean('must be true or false')),
      callbackTopicAllowList: v.optional(v.array(topicArnSchema(), 'must be a list of SNS topic ARNs')),
    },
    unknownKey,
  );
  const attemptLedger = v.strictObject(
    {
      tableName: dynamoDbTableSchema(),
      expiresAfterSeconds: v.optional(integerIn(60, 31_536_000)),
    },
    unknownKey,
  );
  const entries = {
    concurrency: v.optional(integerIn(1, 1_000)),
    envelope: v.optional(v.picklist(['none', 'sns'], 'must be "none" or "sns"')),
    fifoMode: v.optional(
      v.picklist(
        ['stop-on-first-failure', 'skip-failed-group'],
        'must be "stop-on-first-failure" or "skip-failed-group"',
      ),
    ),
    // Checked on its own (the `retry` part).
    retry: v.optional(v.unknown()),
    safetyMarginMs: v.optional(integerIn(0, 60_000)),
    deadLetter: v.optional(deadLetter),
    redeliveryBackoff: v.optional(redeliveryBackoff),
    redelivery: v.optional(v.picklist(['copy', 'visibility'], 'must be "copy" or "visibility"')),
    attemptLedger: v.optional(attemptLedger),
    notifications: v.optional(notifications),
    // Checked on their own (their parts).
    dependencyBreaker: v.optional(v.unknown()),
    idempotency: v.optional(v.unknown()),
  };
  return {
    top: v.strictObject(
      extension === undefined ? { version: versionSchema(), ...entries } : { ...entries, ...extension.top },
      unknownKey,
    ),
    retry: v.pipe(
      v.strictObject(
        {
          maxAttempts: v.optional(integerIn(1, 100)),
          baseDelayMs: v.optional(integerIn(0, MAX_DELAY_MS)),
          maxDelayMs: v.optional(integerIn(0, MAX_DELAY_MS)),
          multiplier: atLeastOne(),
          scheduleMs: v.optional(scheduleSchema('ms', MAX_DELAY_MS)),
          // Checked on its own (the `retryBudget` part).
          budget: v.optional(v.unknown()),
          ...extension?.retry,
        },
        unknownKey,
      ),
      v.check(
        retryScheduleStandsAlone,
        'scheduleMs cannot be combined with maxAttempts, baseDelayMs, maxDelayMs or multiplier: the schedule fixes them',
      ),
      v.check(retryDelaysInOrder, 'maxDelayMs must be >= baseDelayMs'),
    ),
    retryBudget: v.strictObject(
      {
        ratio: v.optional(numberIn(0, 1)),
        windowSeconds: v.optional(integerIn(1, 3_600)),
        minRetriesPerSecond: v.optional(numberIn(0, 1_000)),
      },
      unknownKey,
    ),
    dependencyBreaker: v.strictObject(
      { consecutiveFailures: v.optional(integerIn(1, 100)), ...extension?.dependencyBreaker },
      unknownKey,
    ),
    idempotency: v.strictObject(
      {
        tableName: dynamoDbTableSchema(),
        keyPath: v.optional(
          v.pipe(
            v.string("must be a dot path into the body, such as 'order.id'"),
            v.maxLength(256, 'must be at most 256 characters'),
            v.regex(
              KEY_PATH,
              "must be a dot path into the body, such as 'order.id' (no empty segment, no space)",
            ),
          ),
        ),
        expiresAfterSeconds: v.optional(integerIn(1, 31_536_000)),
        inProgressExpirySeconds: v.optional(integerIn(1, MAX_VISIBILITY_SECONDS)),
        keyPrefix: v.optional(
          v.pipe(
            v.string('must be a string of 1 to 256 characters'),
            v.minLength(1, 'must be a string of 1 to 256 characters'),
            v.maxLength(256, 'must be a string of 1 to 256 characters'),
          ),
        ),
      },
      unknownKey,
    ),
  };
}

const DYNAMODB_TABLE =
  /^([A-Za-z0-9_.-]{3,255}|arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255})$/;
const KEY_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

const dynamoDbTableSchema = () =>
  v.pipe(
    v.string('must be a DynamoDB table name or ARN'),
    v.regex(DYNAMODB_TABLE, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -) or table ARN'),
  );
