import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BATCH_CONFIG_ACCEPTS,
  BATCH_OPTIONS_ACCEPTS,
} from '../../../../lib/config/acceptance/batchConfigAcceptance.js';
import type { BatchConfigParts } from '../../../../lib/config/batchConfig.js';
import { batchConfigCheck } from '../../../../lib/config/batchConfigCheck.js';
import { listProblems } from '../../../../lib/config/configProblemList.js';

/**
 * The compiled checks may only ever accept what the valibot schemas accept (else an invalid configuration
 * would pass the cold start unchecked), and should accept every valid configuration (else the cold start
 * pays for the schemas after all). Both are checked on generated configurations: valid ones, and valid
 * ones with one value anywhere replaced by an awkward one.
 */

const REFUSE_ALL: BatchConfigParts<(input: unknown) => boolean> = {
  top: () => false,
  retry: () => false,
  retryBudget: () => false,
  dependencyBreaker: () => false,
  idempotency: () => false,
};

const variants = [
  { name: 'SQS_FAILSAFE_CONFIG', accepts: BATCH_CONFIG_ACCEPTS, kind: 'config' },
  { name: 'code options', accepts: BATCH_OPTIONS_ACCEPTS, kind: 'options' },
] as const;

/** Whether the compiled checks alone accepted `input` (the schemas were never built), and what valibot says. */
function judge(variant: (typeof variants)[number], input: unknown) {
  let schemasBuilt = false;
  const withCompiled = batchConfigCheck(variant.accepts, (refused) => {
    schemasBuilt = true;
    return listProblems(variant.kind, refused);
  });
  const compiledProblems = withCompiled(input);
  const valibotProblems = batchConfigCheck(REFUSE_ALL, (refused) => listProblems(variant.kind, refused))(
    input,
  );
  return {
    acceptedCompiled: !schemasBuilt && compiledProblems.length === 0,
    valibotProblems,
    compiledProblems,
  };
}

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq';
const FIFO_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq.fifo';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:events';
const TABLE = 'orders-table';
const LOGGER = { debug() {}, info() {}, warn() {}, error() {} };
const STANDARD_SCHEMA = {
  '~standard': { version: 1, vendor: 'test', validate: (value: unknown) => ({ value }) },
};
const STAGE = { name: 'audit', run: async () => {} };

const record = <T extends Record<string, fc.Arbitrary<unknown>>>(entries: T) =>
  fc.record(entries, { requiredKeys: [] });
const intIn = (min: number, max: number) => fc.integer({ min, max });
const ascending = (max: number) =>
  fc.array(intIn(0, max), { minLength: 1, maxLength: 6 }).map((values) => values.sort((a, b) => a - b));

const budget = fc.oneof(
  fc.constant(false),
  record({
    ratio: fc.double({ min: 0, max: 1, noNaN: true }),
    windowSeconds: intIn(1, 3_600),
    minRetriesPerSecond: fc.double({ min: 0, max: 1_000, noNaN: true }),
  }),
);
const retry = (forCode: boolean) =>
  fc.oneof(
    fc.constant(false),
    record({
      maxAttempts: intIn(1, 100),
      baseDelayMs: intIn(0, 1_000),
      maxDelayMs: intIn(1_000, 900_000),
      multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
      budget,
      ...(forCode ? { retryOn: fc.constant(() => true) } : {}),
    }),
    record({ scheduleMs: ascending(900_000), budget }),
  );
const validConfig = (forCode: boolean) =>
  record({
    ...(forCode ? {} : { version: fc.constant(1) }),
    concurrency: intIn(1, 1_000),
    envelope: fc.constantFrom('none', 'sns'),
    fifoMode: fc.constantFrom('stop-on-first-failure', 'skip-failed-group'),
    retry: retry(forCode),
    safetyMarginMs: intIn(0, 60_000),
    deadLetter: record({
      queueUrl: fc.constantFrom(QUEUE_URL, FIFO_QUEUE_URL),
      maxAgeSeconds: intIn(1, 1_209_600),
      maxAttempts: intIn(1, 1_000),
    }).map((deadLetter) => ({ queueUrl: QUEUE_URL, ...deadLetter })),
    redeliveryBackoff: fc.oneof(
      record({
        baseSeconds: intIn(0, 100),
        maxSeconds: intIn(100, 43_200),
        multiplier: fc.constantFrom(1, 2, 3.5),
      }),
      record({ scheduleSeconds: ascending(43_200) }).map((backoff) => ({
        scheduleSeconds: [30],
        ...backoff,
      })),
    ),
    redelivery: fc.constantFrom('copy', 'visibility'),
    attemptLedger: record({ tableName: fc.constant(TABLE), expiresAfterSeconds: intIn(60, 31_536_000) }).map(
      (ledger) => ({ tableName: TABLE, ...ledger }),
    ),
    notifications: record({
      topicArn: fc.constant(TOPIC_ARN),
      events: fc.subarray([
        'message.succeeded',
        'message.failed',
        'message.dead-lettered',
        'batch.completed',
      ]),
      includeBody: fc.boolean(),
      callbackTopicAllowList: fc.array(fc.constant(TOPIC_ARN), { maxLength: 2 }),
    }).map((notifications) => ({ topicArn: TOPIC_ARN, ...notifications })),
    dependencyBreaker: fc.oneof(fc.constant(false), record({ consecutiveFailures: intIn(1, 100) })),
    idempotency: fc.oneof(
      fc.constant(false),
      record({
        tableName: fc.constantFrom(TABLE, 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders'),
        keyPath: fc.constantFrom('order.id', 'id', 'items.0.sku'),
        expiresAfterSeconds: intIn(1, 31_536_000),
        inProgressExpirySeconds: intIn(1, 43_200),
        keyPrefix: fc.constantFrom('orders', 'x'),
      }).map((idempotency) => ({ tableName: TABLE, ...idempotency })),
    ),
    ...(forCode
      ? {
          body: fc.constantFrom('json', 'text'),
          schema: fc.constant(STANDARD_SCHEMA),
          throwOnBatchFailure: fc.boolean(),
          hooks: record({ onSuccess: fc.constant(() => {}), onFailure: fc.constant(() => {}) }),
          logger: fc.constant(LOGGER),
          metrics: fc.boolean(),
          aws: fc.constant({}),
          configFromEnvironment: fc.boolean(),
          stages: fc.array(fc.constant(STAGE), { maxLength: 2 }),
        }
      : {}),
  });

const awkward = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    null,
    true,
    false,
    0,
    1,
    -1,
    0.5,
    100,
    101,
    1_000,
    1_001,
    43_201,
    900_001,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    'x',
    'copy',
    'sns',
    'text',
    'message.failed',
    QUEUE_URL,
    FIFO_QUEUE_URL,
    'http://localhost:4566/000000000000/q',
    TOPIC_ARN,
    TABLE,
    'a..b',
    'a b',
    [],
    [1],
    [60, 10],
    [TOPIC_ARN],
    ['message.failed', 'nope'],
    {},
    { name: 'x' },
    () => {},
    LOGGER,
    STANDARD_SCHEMA,
    STAGE,
    [STAGE],
    // Sparse arrays: valibot reads an empty slot as undefined (tried: [ , ] passed the compiled check).
    // biome-ignore lint/suspicious/noSparseArray: the case under test
    [,],
    new Array(2),
    [undefined],
    // biome-ignore lint/suspicious/noSparseArray: the case under test
    [60, , 120],
    [TOPIC_ARN, undefined],
  ),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 3 }),
);

const KEYS = [
  'version',
  'concurrency',
  'envelope',
  'fifoMode',
  'retry',
  'safetyMarginMs',
  'deadLetter',
  'redeliveryBackoff',
  'redelivery',
  'attemptLedger',
  'notifications',
  'dependencyBreaker',
  'idempotency',
  'queueUrl',
  'maxAgeSeconds',
  'maxAttempts',
  'baseDelayMs',
  'maxDelayMs',
  'multiplier',
  'scheduleMs',
  'budget',
  'ratio',
  'windowSeconds',
  'scheduleSeconds',
  'baseSeconds',
  'maxSeconds',
  'tableName',
  'expiresAfterSeconds',
  'topicArn',
  'events',
  'includeBody',
  'callbackTopicAllowList',
  'consecutiveFailures',
  'keyPath',
  'keyPrefix',
  'body',
  'schema',
  'logger',
  'hooks',
  'onSuccess',
  'stages',
  'retryOn',
  'dependencyOf',
  'aws',
  'unknownKey',
  'toString',
];

/** A copy of `config` with one value, at any depth, set to `value` (or a key added). */
function mutated(config: Record<string, unknown>, pick: number, key: string, value: unknown): unknown {
  const copy = structuredCloneWithFunctions(config) as Record<string, unknown>;
  const objects: Record<string, unknown>[] = [];
  // Objects and arrays alike: an array's item is replaced by index.
  const collect = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    if (node === LOGGER || node === STANDARD_SCHEMA || node === STAGE) return;
    objects.push(node as Record<string, unknown>);
    for (const child of Object.values(node)) collect(child);
  };
  collect(copy);
  const target = objects[pick % objects.length] as Record<string, unknown>;
  const existing = Object.keys(target);
  const chosen = existing.length > 0 && pick % 3 !== 0 ? (existing[pick % existing.length] as string) : key;
  target[chosen] = value;
  return copy;
}

function structuredCloneWithFunctions(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value === LOGGER || value === STANDARD_SCHEMA || value === STAGE) return value;
  if (Array.isArray(value)) return value.map(structuredCloneWithFunctions);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuredCloneWithFunctions(v)]));
}

describe.each(variants)('the compiled checks of $name', (variant) => {
  const forCode = variant.name === 'code options';

  it('accept every configuration valibot accepts (so a valid cold start never builds the schemas)', () => {
    fc.assert(
      fc.property(validConfig(forCode), (config) => {
        const { acceptedCompiled, valibotProblems } = judge(variant, config);
        if (valibotProblems.length === 0)
          expect(
            acceptedCompiled,
            'the compiled check refuses a valid configuration: run npm run codegen',
          ).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('never accept what valibot refuses, and list the same problems when they refuse', () => {
    fc.assert(
      fc.property(
        validConfig(forCode),
        fc.nat(),
        fc.constantFrom(...KEYS),
        awkward,
        (config, pick, key, value) => {
          const input = mutated(config as Record<string, unknown>, pick, key, value);
          const { acceptedCompiled, valibotProblems, compiledProblems } = judge(variant, input);
          const stale =
            'the compiled check disagrees with the schemas: after changing a schema, run npm run codegen';
          if (acceptedCompiled) expect(valibotProblems, stale).toEqual([]);
          expect(compiledProblems, stale).toEqual(valibotProblems);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('refuse values at the edges of each rule that valibot refuses', () => {
    for (const input of [
      { concurrency: 0 },
      { concurrency: 1_001 },
      { concurrency: 1.5 },
      { concurrency: Number.NaN },
      { retry: { scheduleMs: [100], maxAttempts: 2 } },
      { retry: { baseDelayMs: 500, maxDelayMs: 100 } },
      { retry: { budget: { ratio: Number.POSITIVE_INFINITY } } },
      { redeliveryBackoff: { scheduleSeconds: [60, 10] } },
      { deadLetter: { queueUrl: QUEUE_URL, maxAttempts: 3 }, redelivery: 'visibility' },
      { deadLetter: { queueUrl: FIFO_QUEUE_URL, maxAttempts: 3 } },
      { idempotency: { tableName: TABLE, keyPath: 'a..b' } },
      { idempotency: true },
      { dependencyBreaker: [] },
      { notifications: { topicArn: TOPIC_ARN, events: ['nope'] } },
      { unknownKey: 1 },
    ]) {
      const { acceptedCompiled, valibotProblems } = judge(variant, input);
      expect({ input, acceptedCompiled, refused: valibotProblems.length > 0 }).toEqual({
        input,
        acceptedCompiled: false,
        refused: true,
      });
    }
  });
});
