/**
 * The breaker controller's configuration, as plain JSON in one environment variable, set by the CDK
 * construct (or the local runtime) on the controller function and validated at its cold start.
 */
export const BREAKER_CONFIG_ENV_VAR = 'SQS_FAILSAFE_BREAKER_CONFIG';

export interface BreakerConfig {
  readonly version?: 1;
  /** UUID of the consumer's event source mapping: the one thing the breaker pauses and resumes. */
  readonly mappingUuid: string;
  /** The alarm on the consumer's transient failures; events of any other alarm are ignored. */
  readonly alarmName: string;
  /** Where `consumer.paused` and `consumer.resumed` events go. @default none published */
  readonly topicArn?: string;
  /** How long the consumer stays paused before the half-open probe, 1..86,400 s. @default 300 */
  readonly coolDownSeconds?: number;
  /**
   * Maximum concurrency while half-open (and the marker of a pause made by the breaker), 2..1000
   * (AWS's own minimum is 2). @default 2
   */
  readonly halfOpenConcurrency?: number;
  /**
   * The maximum concurrency the mapping is deployed with, restored when the breaker closes; must be above
   * halfOpenConcurrency, 3..1000. @default none: the mapping has no maximum
   */
  readonly fullConcurrency?: number;
  /**
   * How long half-open must run before the alarm state decides (ALARM: pause again; otherwise close),
   * 1..86,400 s. Keep it at least the alarm's period x evaluation periods, so the alarm has seen the
   * half-open traffic. @default 300
   */
  readonly probeSeconds?: number;
}

export const BREAKER_DEFAULTS = { coolDownSeconds: 300, halfOpenConcurrency: 2, probeSeconds: 300 } as const;

/** The configuration with every default applied. */
export interface ResolvedBreakerConfig {
  readonly mappingUuid: string;
  readonly alarmName: string;
  readonly topicArn: string | undefined;
  readonly coolDownSeconds: number;
  readonly halfOpenConcurrency: number;
  readonly fullConcurrency: number | undefined;
  readonly probeSeconds: number;
}

/** The payload the schedule sends for the half-open probe (an EventBridge "Scheduled Event" works too). */
export const BREAKER_PROBE_EVENT = { source: 'sqs-failsafe', 'detail-type': 'Breaker Probe' } as const;
