/**
 * The redrive function's configuration, as plain JSON in one environment variable. The CDK construct
 * writes it with `redriveConfigEnvironment` and the function reads it back with the same schema
 * (readRedriveConfig), so the two cannot disagree.
 */
export const REDRIVE_CONFIG_ENV_VAR = 'SQS_FAILSAFE_REDRIVE_CONFIG';

/** How a redrive that ran out of invocation time goes on. */
export type RedriveContinuation = 'self-invoke' | 'schedule';

/**
 * Stops automatic redrives when redriven messages keep coming back: when, within a window, the messages
 * received carrying a redrive count reach `returnThreshold` times the messages redriven before (and at
 * least `minRedriven` were), the breaker opens for `openSeconds`.
 */
export interface CircuitBreakerConfig {
  /** Returned / redriven ratio that opens the breaker, 0..1 (exclusive of 0). @default 0.5 */
  readonly returnThreshold?: number;
  /** Length of the counting window. @default 3600 */
  readonly windowSeconds?: number;
  /** Redriven messages in the window before the ratio is trusted. @default 10 */
  readonly minRedriven?: number;
  /** How long an open breaker blocks automatic redrives. @default 3600 */
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
  readonly circuitBreaker?: CircuitBreakerConfig;
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
    readonly circuitBreaker: Required<CircuitBreakerConfig>;
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
