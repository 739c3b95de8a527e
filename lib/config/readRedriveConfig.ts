import * as v from 'valibot';
import { InvalidOptionsError } from '../errors.js';
import { integerIn, numberIn, schemaProblems, unknownKey } from '../options/schemaProblems.js';
import { queueUrlSchema, topicArnSchema } from './configSchemas.js';
import { envVarSubject, readJsonEnvVar } from './readJsonEnvVar.js';
import {
  REDRIVE_CONFIG_DEFAULTS,
  REDRIVE_CONFIG_ENV_VAR,
  type RedriveConfig,
  type ResolvedRedriveConfig,
} from './redriveConfig.js';

/**
 * The schema of SQS_FAILSAFE_REDRIVE_CONFIG, built on call: consumer functions bundle lib/index but never
 * read this configuration, and should not build it at cold start.
 */
export function redriveConfigSchema() {
  const alarmName = v.pipe(
    v.string('must be a CloudWatch alarm name'),
    v.minLength(1, 'must be a CloudWatch alarm name'),
    v.maxLength(255, 'must be at most 255 characters (CloudWatch limit)'),
  );
  return v.strictObject(
    {
      version: v.optional(v.literal(1, 'must be 1 (the only configuration version)')),
      dlqUrl: queueUrlSchema,
      sourceQueueUrl: queueUrlSchema,
      topicArn: v.optional(topicArnSchema),
      maxMessagesPerRun: v.optional(integerIn(1, 1_000_000_000)),
      ratePerSecond: v.optional(numberIn(0.01, 1_000_000)),
      cooldownSeconds: v.optional(integerIn(0, 604_800)),
      maxRedrivesPerMessage: v.optional(integerIn(1, 1_000)),
      parkingQueueUrl: v.optional(queueUrlSchema),
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
