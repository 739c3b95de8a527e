import * as v from 'valibot';
import type { AwsClients } from '../aws/awsClients.js';
import { MAX_VISIBILITY_SECONDS } from '../aws/serviceLimits.js';
import { integerIn, numberIn, schemaProblems, unknownKey } from '../config/schemaProblems.js';
import { InvalidOptionsError } from '../errors.js';
import { createDefaultLogger } from '../logging/defaultLogger.js';
import type { LoggerLike } from '../types.js';
import type { RedriveFilter } from './redriveFilter.js';
import { compileFilters, filterProblems, type MessagePredicate } from './redriveFilter.js';
import type { RedrivePlan, RedriveProgress } from './redriveReport.js';
import type { RedriveStrategyChoice } from './redriveStrategy.js';

/**
 * What a run does with the messages it selects:
 * - `redrive`: send each back to its source queue;
 * - `park`: send each to the parking queue, whatever its redrive count (an operator setting a cause aside);
 * - `delete`: delete each from the DLQ (an operator discarding a cause).
 */
export type RedriveOperation = 'redrive' | 'park' | 'delete';

export interface RedriveOptions {
  /** The dead-letter queue: URL, ARN or name. */
  readonly dlq: string;
  /**
   * Where a message goes when it does not say where it came from (no DeadLetterQueueSourceArn and no
   * failure metadata): URL, ARN or name. With the native strategy, every message goes there. Its redrive
   * policy must name the DLQ (where the messages came from), unless `confirmUnpairedSource` is set.
   * @default none: such messages stay in the DLQ and are reported failed
   */
  readonly source?: string | undefined;
  /**
   * The operator confirms that `source` may receive the DLQ's messages although its redrive policy does not
   * name the DLQ (a queue created to replay them, a migration). Without it such a source is refused before
   * anything moves. Only the queue named as `source` is confirmed: a message whose metadata names another
   * queue that does not name the DLQ is still reported, not followed.
   * @default false
   */
  readonly confirmUnpairedSource?: boolean | undefined;
  /** @default 'auto' */
  readonly strategy?: RedriveStrategyChoice | undefined;
  /**
   * Stop after this many messages were moved (parked or deleted, by such an operation), or in a dry run
   * would be. @default no limit
   */
  readonly maxMessages?: number | undefined;
  /** Messages moved per second at most, to spare the consumer. @default no limit */
  readonly ratePerSecond?: number | undefined;
  /** No receive starts after this many ms; batches under way finish. @default no limit */
  readonly timeBudgetMs?: number | undefined;
  /** Receive-send-delete loops run at once (manual). 1..100. @default 10 */
  readonly concurrency?: number | undefined;
  /** Move only the messages that match (all of) these. @default every message */
  readonly filter?: RedriveFilter | readonly RedriveFilter[] | undefined;
  /** Inspect and report what would move, then release every message at once. @default false */
  readonly dryRun?: boolean | undefined;
  /**
   * What happens to the selected messages; `park` needs `parkingQueue`. The filter, rate, limit, dry run
   * and report work the same for each. @default 'redrive'
   */
  readonly operation?: RedriveOperation | undefined;
  /**
   * The loop guard: a message already redriven this many times (REDRIVE_COUNT_ATTRIBUTE) is not moved
   * again; it stays in the DLQ, or goes to `parkingQueue`, and is reported. 1..1000. @default no cap
   */
  readonly maxRedrivesPerMessage?: number | undefined;
  /**
   * Where capped messages go (URL, ARN or name), instead of staying in the DLQ. Needs the cap, or the
   * `park` operation.
   */
  readonly parkingQueue?: string | undefined;
  /**
   * How long a received message stays invisible (manual). It must cover one send and one delete with
   * their retries; a crash leaves messages invisible for at most this long. 1..43200. @default 60
   */
  readonly visibilityTimeoutSeconds?: number | undefined;
  /** Long-poll wait of each receive; an empty answer after it means the DLQ is drained. 0..20. @default 1 */
  readonly receiveWaitSeconds?: number | undefined;
  /** Native: how often ListMessageMoveTasks is polled for progress, ms. 10..60000. @default 5000 */
  readonly nativePollIntervalMs?: number | undefined;
  /** Per-message outcomes kept in the report; beyond it they are only counted. 0..100000. @default 1000 */
  readonly reportLimit?: number | undefined;
  /**
   * Called once the queues are checked and the strategy chosen, before any message moves; awaited. A
   * callback that throws is logged and otherwise ignored.
   */
  readonly onStart?: ((plan: RedrivePlan) => void | Promise<void>) | undefined;
  /** Called after every batch (manual) or poll (native). */
  readonly onProgress?: ((progress: RedriveProgress) => void) | undefined;
  /** Aborting stops the run as the time budget would: no new receive, batches under way finish. */
  readonly signal?: AbortSignal | undefined;
  /** @default a Powertools Logger, loaded on the first line written */
  readonly logger?: LoggerLike | undefined;
  /** SDK clients to use instead of the ones created on first use. */
  readonly aws?: AwsClients | undefined;
}

/** Options after validation and defaulting. */
export interface ResolvedRedriveOptions {
  readonly dlq: string;
  readonly source: string | undefined;
  readonly confirmUnpairedSource: boolean;
  readonly strategy: RedriveStrategyChoice;
  readonly maxMessages: number | undefined;
  readonly ratePerSecond: number | undefined;
  readonly timeBudgetMs: number | undefined;
  readonly concurrency: number;
  readonly filters: readonly RedriveFilter[];
  readonly matches: MessagePredicate;
  readonly dryRun: boolean;
  readonly operation: RedriveOperation;
  readonly maxRedrivesPerMessage: number | undefined;
  readonly parkingQueue: string | undefined;
  readonly visibilityTimeoutSeconds: number;
  readonly receiveWaitSeconds: number;
  readonly nativePollIntervalMs: number;
  readonly reportLimit: number;
  readonly onStart: (plan: RedrivePlan) => void | Promise<void>;
  readonly onProgress: (progress: RedriveProgress) => void;
  readonly signal: AbortSignal | undefined;
  readonly logger: LoggerLike;
  readonly aws: AwsClients;
}

export const REDRIVE_DEFAULTS = {
  strategy: 'auto',
  operation: 'redrive',
  concurrency: 10,
  /**
   * A send and a delete take milliseconds; with the AWS-call layer's retries (4 attempts, jittered) they
   * still end within a second or two. 60 s leaves a wide margin for a slow call or a GC pause (a message
   * whose visibility ran out before its delete would be sent twice) while a crash hides messages for at
   * most a minute.
   */
  visibilityTimeoutSeconds: 60,
  receiveWaitSeconds: 1,
  nativePollIntervalMs: 5_000,
  reportLimit: 1_000,
} as const;

/**
 * Built on first use: the schema is a few kilobytes of objects that a consumer function, which bundles
 * lib/index but never redrives, should neither load nor build at cold start.
 */
let optionsSchema: ReturnType<typeof buildOptionsSchema> | undefined;

function buildOptionsSchema() {
  const queueReference = v.pipe(
    v.string('must be a queue URL, ARN or name'),
    v.minLength(1, 'must be a queue URL, ARN or name'),
  );
  const callback = v.optional(v.function('must be a function'));
  return v.strictObject(
    {
      dlq: queueReference,
      source: v.optional(queueReference),
      confirmUnpairedSource: v.optional(v.boolean('must be true or false')),
      strategy: v.optional(v.picklist(['auto', 'manual', 'native'], 'must be "auto", "manual" or "native"')),
      maxMessages: v.optional(integerIn(1, 1_000_000_000)),
      ratePerSecond: v.optional(numberIn(0.01, 1_000_000)),
      timeBudgetMs: v.optional(integerIn(1, 2_147_483_647)),
      concurrency: v.optional(integerIn(1, 100)),
      // Checked on its own (filterProblems) so that each filter's problem is named.
      filter: v.optional(v.unknown()),
      dryRun: v.optional(v.boolean('must be true or false')),
      operation: v.optional(
        v.picklist(['redrive', 'park', 'delete'], 'must be "redrive", "park" or "delete"'),
      ),
      maxRedrivesPerMessage: v.optional(integerIn(1, 1_000)),
      parkingQueue: v.optional(queueReference),
      visibilityTimeoutSeconds: v.optional(integerIn(1, MAX_VISIBILITY_SECONDS)),
      receiveWaitSeconds: v.optional(integerIn(0, 20)),
      nativePollIntervalMs: v.optional(integerIn(10, 60_000)),
      reportLimit: v.optional(integerIn(0, 100_000)),
      onStart: callback,
      onProgress: callback,
      signal: v.optional(v.instance(AbortSignal, 'must be an AbortSignal')),
      logger: v.optional(
        v.custom(
          (value) =>
            typeof value === 'object' &&
            value !== null &&
            ['debug', 'info', 'warn', 'error'].every(
              (level) => typeof (value as Record<string, unknown>)[level] === 'function',
            ),
          'must have debug, info, warn and error methods',
        ),
      ),
      aws: v.optional(
        v.custom((value) => typeof value === 'object' && value !== null, 'must be an object of SDK clients'),
      ),
    },
    unknownKey,
  );
}

/** Validates the options (listing every problem in one InvalidOptionsError) and applies the defaults. */
export function resolveRedriveOptions(options: RedriveOptions): ResolvedRedriveOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError('redrive options', [`options must be an object (got ${typeof options})`]);
  }
  optionsSchema ??= buildOptionsSchema();
  const problems = schemaProblems(optionsSchema, options);
  const filters: readonly RedriveFilter[] =
    options.filter === undefined ? [] : Array.isArray(options.filter) ? options.filter : [options.filter];
  problems.push(...filterProblems(filters));
  if (
    options.parkingQueue !== undefined &&
    options.maxRedrivesPerMessage === undefined &&
    options.operation !== 'park'
  )
    problems.push(
      'parkingQueue: needs maxRedrivesPerMessage (only capped messages are parked) or operation "park"',
    );
  if (options.operation === 'park' && options.parkingQueue === undefined)
    problems.push('operation: "park" needs parkingQueue (where the messages go)');
  if (options.confirmUnpairedSource === true && options.source === undefined)
    problems.push('confirmUnpairedSource: confirms the queue named as source; name one');
  if (options.source !== undefined && options.source === options.dlq)
    problems.push('source: must not be the DLQ itself');
  if (options.parkingQueue !== undefined && [options.dlq, options.source].includes(options.parkingQueue))
    problems.push('parkingQueue: must differ from the DLQ and the source');
  if (problems.length > 0) throw new InvalidOptionsError('redrive options', problems);

  return {
    dlq: options.dlq,
    source: options.source,
    confirmUnpairedSource: options.confirmUnpairedSource ?? false,
    strategy: options.strategy ?? REDRIVE_DEFAULTS.strategy,
    maxMessages: options.maxMessages,
    ratePerSecond: options.ratePerSecond,
    timeBudgetMs: options.timeBudgetMs,
    concurrency: options.concurrency ?? REDRIVE_DEFAULTS.concurrency,
    filters,
    matches: compileFilters(filters),
    dryRun: options.dryRun ?? false,
    operation: options.operation ?? REDRIVE_DEFAULTS.operation,
    maxRedrivesPerMessage: options.maxRedrivesPerMessage,
    parkingQueue: options.parkingQueue,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? REDRIVE_DEFAULTS.visibilityTimeoutSeconds,
    receiveWaitSeconds: options.receiveWaitSeconds ?? REDRIVE_DEFAULTS.receiveWaitSeconds,
    nativePollIntervalMs: options.nativePollIntervalMs ?? REDRIVE_DEFAULTS.nativePollIntervalMs,
    reportLimit: options.reportLimit ?? REDRIVE_DEFAULTS.reportLimit,
    onStart: options.onStart ?? (() => {}),
    onProgress: options.onProgress ?? (() => {}),
    signal: options.signal,
    logger: options.logger ?? createDefaultLogger(),
    aws: options.aws ?? {},
  };
}

/** Runs the caller's onStart; a failing callback must not stop (or half-start) the run. */
export async function announce(options: ResolvedRedriveOptions, plan: RedrivePlan): Promise<void> {
  try {
    await options.onStart(plan);
  } catch (error) {
    options.logger.warn('Redrive onStart callback failed; the run goes on', { error });
  }
}
