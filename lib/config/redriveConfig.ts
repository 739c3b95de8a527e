import * as v from 'valibot';
import { MAX_ALARM_NAME_LENGTH } from '../aws/serviceLimits.js';
import { InvalidOptionsError } from '../errors.js';
import { envVarSubject, readJsonEnvVar } from './readJsonEnvVar.js';
import { integerIn, numberIn, schemaProblems, unknownKey } from './schemaProblems.js';
import { queueUrlSchema, topicArnSchema, versionSchema } from './sharedSchemas.js';

/**
 * The redrive function's configuration, as plain JSON in one environment variable. This module owns its
 * type, its schema, its defaults and its problems. The CDK construct writes it with
 * `redriveConfigEnvironment` and the function reads it back with the same schema (readRedriveConfig), so
 * the two cannot disagree.
 */
export const REDRIVE_CONFIG_ENV_VAR = 'SQS_FAILSAFE_REDRIVE_CONFIG';

/** How a redrive that ran out of invocation time goes on. */
export type RedriveContinuation = 'self-invoke' | 'schedule';

/**
 * The redrive return breaker: stops automatic redrives when redriven messages keep coming back. When,
 * within a window, the messages received carrying a redrive count reach `returnThreshold` times the
 * messages redriven before (and at least `minRedriven` were), it opens for `openSeconds`. Not the consumer
 * breaker (which pauses the event source mapping) nor the dependency breaker (within one invocation).
 */
export interface ReturnBreakerConfig {
  /** Returned / redriven ratio that opens the return breaker, 0..1 (exclusive of 0). @default 0.5 */
  readonly returnThreshold?: number;
  /** Length of the counting window. @default 3600 */
  readonly windowSeconds?: number;
  /** Redriven messages in the window before the ratio is trusted. @default 10 */
  readonly minRedriven?: number;
  /** How long an open return breaker blocks automatic redrives. @default 3600 */
  readonly openSeconds?: number;
}

export interface RedriveConfig {
  readonly version?: 1;
  /** The DLQ to drain; its tags also hold the function's state (REDRIVE_STATE_TAG). */
  readonly dlqUrl: string;
  /** Where messages go that do not name their source (no DeadLetterQueueSourceArn, no failure metadata). */
  readonly sourceQueueUrl: string;
  /** Topic for `redrive.started` / `redrive.completed` events. @default none */
  readonly topicArn?: string;
  /** Messages moved per triggered run, continuations included. @default 10000 */
  readonly maxMessagesPerRun?: number;
  /** @default 100 */
  readonly ratePerSecond?: number;
  /** Minimum time between two redrives started by the DLQ alarm or the schedule. @default 900 */
  readonly cooldownSeconds?: number;
  /** The loop guard: a message redriven this many times is not redriven again. @default 3 */
  readonly maxRedrivesPerMessage?: number;
  /** Where capped messages go; without it they stay in the DLQ. @default none */
  readonly parkingQueueUrl?: string;
  /** The consumer's health alarm: its ALARM -> OK transition starts a redrive. */
  readonly healthAlarmName?: string;
  /** The DLQ alarm: its transition to ALARM starts a redrive once the cooldown has passed. */
  readonly dlqAlarmName?: string;
  /** The return breaker (the key keeps its deployed name). */
  readonly circuitBreaker?: ReturnBreakerConfig;
  /** @default 'self-invoke' */
  readonly continuation?: RedriveContinuation;
  /** Self-invocations one run may chain, a guard against a run that never ends. @default 20 */
  readonly maxContinuations?: number;
  /** Receive-send-delete loops at once. @default 4 */
  readonly concurrency?: number;
  /** Time kept free before the Lambda timeout for the last batch, the state and the events. @default 10000 */
  readonly safetyMarginMs?: number;
}

/** The configuration with every default applied. */
export type ResolvedRedriveConfig = Required<
  Omit<
    RedriveConfig,
    'version' | 'topicArn' | 'parkingQueueUrl' | 'healthAlarmName' | 'dlqAlarmName' | 'circuitBreaker'
  >
> &
  Pick<RedriveConfig, 'topicArn' | 'parkingQueueUrl' | 'healthAlarmName' | 'dlqAlarmName'> & {
    readonly circuitBreaker: Required<ReturnBreakerConfig>;
  };

export const REDRIVE_CONFIG_DEFAULTS = {
  maxMessagesPerRun: 10_000,
  ratePerSecond: 100,
  cooldownSeconds: 900,
  maxRedrivesPerMessage: 3,
  continuation: 'self-invoke',
  maxContinuations: 20,
  concurrency: 4,
  safetyMarginMs: 10_000,
  circuitBreaker: { returnThreshold: 0.5, windowSeconds: 3_600, minRedriven: 10, openSeconds: 3_600 },
} as const;

/**
 * The schema of SQS_FAILSAFE_REDRIVE_CONFIG, built on call: only the redrive function (and the construct)
 * read this configuration, and nothing else should build it at cold start.
 */
function redriveConfigSchema() {
  const alarmName = v.pipe(
    v.string('must be a CloudWatch alarm name'),
    v.minLength(1, 'must be a CloudWatch alarm name'),
    v.maxLength(
      MAX_ALARM_NAME_LENGTH,
      `must be at most ${MAX_ALARM_NAME_LENGTH} characters (CloudWatch limit)`,
    ),
  );
  return v.strictObject(
    {
      version: versionSchema(),
      dlqUrl: queueUrlSchema(),
      sourceQueueUrl: queueUrlSchema(),
      topicArn: v.optional(topicArnSchema()),
      maxMessagesPerRun: v.optional(integerIn(1, 1_000_000_000)),
      ratePerSecond: v.optional(numberIn(0.01, 1_000_000)),
      cooldownSeconds: v.optional(integerIn(0, 604_800)),
      maxRedrivesPerMessage: v.optional(integerIn(1, 1_000)),
      parkingQueueUrl: v.optional(queueUrlSchema()),
      healthAlarmName: v.optional(alarmName),
      dlqAlarmName: v.optional(alarmName),
      circuitBreaker: v.optional(
        v.strictObject(
          {
            returnThreshold: v.optional(
              v.pipe(
                v.number('must be a number above 0 and at most 1'),
                v.gtValue(0, 'must be a number above 0 and at most 1'),
                v.maxValue(1, 'must be a number above 0 and at most 1'),
              ),
            ),
            windowSeconds: v.optional(integerIn(60, 604_800)),
            minRedriven: v.optional(integerIn(1, 1_000_000)),
            openSeconds: v.optional(integerIn(60, 604_800)),
          },
          unknownKey,
        ),
      ),
      continuation: v.optional(
        v.picklist(['self-invoke', 'schedule'], 'must be "self-invoke" or "schedule"'),
      ),
      maxContinuations: v.optional(integerIn(0, 1_000)),
      concurrency: v.optional(integerIn(1, 100)),
      safetyMarginMs: v.optional(integerIn(6_000, 600_000)),
    },
    unknownKey,
  );
}

/** Every problem with a redrive configuration, cross-field rules included. */
export function redriveConfigProblems(input: unknown): string[] {
  // An array is an object to the schema: it would only read "dlqUrl: is required".
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [`options: must be an object { dlqUrl, sourceQueueUrl, ... } (got ${JSON.stringify(input)})`];
  const problems = schemaProblems(redriveConfigSchema(), input);
  if (typeof input !== 'object' || input === null) return problems;
  const config = input as Partial<Record<keyof RedriveConfig, unknown>>;
  const fifo = (url: unknown) => typeof url === 'string' && url.endsWith('.fifo');
  if (typeof config.dlqUrl === 'string' && config.dlqUrl === config.sourceQueueUrl)
    problems.push('sourceQueueUrl: must not be the DLQ itself');
  if (typeof config.dlqUrl === 'string' && typeof config.sourceQueueUrl === 'string') {
    if (fifo(config.dlqUrl) !== fifo(config.sourceQueueUrl))
      problems.push('sourceQueueUrl: must be of the same type as the DLQ (both FIFO or both standard)');
  }
  if (typeof config.parkingQueueUrl === 'string') {
    if ([config.dlqUrl, config.sourceQueueUrl].includes(config.parkingQueueUrl))
      problems.push('parkingQueueUrl: must differ from the DLQ and the source queue');
    if (typeof config.dlqUrl === 'string' && fifo(config.dlqUrl) !== fifo(config.parkingQueueUrl))
      problems.push('parkingQueueUrl: must be of the same type as the DLQ (both FIFO or both standard)');
  }
  if (config.healthAlarmName !== undefined && config.healthAlarmName === config.dlqAlarmName)
    problems.push('dlqAlarmName: must differ from healthAlarmName (they trigger different policies)');
  return problems;
}

/**
 * Reads and checks SQS_FAILSAFE_REDRIVE_CONFIG, and applies the defaults. Absent, not JSON or invalid: one
 * InvalidOptionsError listing every problem, thrown at cold start so a bad deployment fails before it
 * touches a message.
 *
 * @example
 * const config = readRedriveConfig(); // in the redrive function
 */
export function readRedriveConfig(env: NodeJS.ProcessEnv = process.env): ResolvedRedriveConfig {
  const subject = envVarSubject(REDRIVE_CONFIG_ENV_VAR);
  const parsed = readJsonEnvVar(env, REDRIVE_CONFIG_ENV_VAR);
  if (parsed === undefined) {
    throw new InvalidOptionsError(subject, ['is not set; it must hold the redrive configuration as JSON']);
  }
  return resolveRedriveConfig(parsed, subject);
}

/** Checks a configuration object and applies the defaults. */
export function resolveRedriveConfig(
  input: unknown,
  subject = 'redrive configuration',
): ResolvedRedriveConfig {
  const problems = redriveConfigProblems(input);
  if (problems.length > 0) throw new InvalidOptionsError(subject, problems);
  const config = input as RedriveConfig;
  const defaults = REDRIVE_CONFIG_DEFAULTS;
  return {
    dlqUrl: config.dlqUrl,
    sourceQueueUrl: config.sourceQueueUrl,
    topicArn: config.topicArn,
    maxMessagesPerRun: config.maxMessagesPerRun ?? defaults.maxMessagesPerRun,
    ratePerSecond: config.ratePerSecond ?? defaults.ratePerSecond,
    cooldownSeconds: config.cooldownSeconds ?? defaults.cooldownSeconds,
    maxRedrivesPerMessage: config.maxRedrivesPerMessage ?? defaults.maxRedrivesPerMessage,
    parkingQueueUrl: config.parkingQueueUrl,
    healthAlarmName: config.healthAlarmName,
    dlqAlarmName: config.dlqAlarmName,
    circuitBreaker: { ...defaults.circuitBreaker, ...config.circuitBreaker },
    continuation: config.continuation ?? defaults.continuation,
    maxContinuations: config.maxContinuations ?? defaults.maxContinuations,
    concurrency: config.concurrency ?? defaults.concurrency,
    safetyMarginMs: config.safetyMarginMs ?? defaults.safetyMarginMs,
  };
}

/**
 * The environment entry the construct sets on the redrive function.
 *
 * @example
 * new lambda.Function(this, 'Redrive', {
 *   environment: redriveConfigEnvironment({ dlqUrl: dlq.queueUrl, sourceQueueUrl: queue.queueUrl }),
 * });
 */
export function redriveConfigEnvironment(config: RedriveConfig): Record<string, string> {
  return { [REDRIVE_CONFIG_ENV_VAR]: JSON.stringify({ version: 1, ...config }) };
}
