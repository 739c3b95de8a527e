/**
 * `sqs-failsafe/redrive`: move dead-lettered messages back to their source (the engine the CLI runs), look
 * into a DLQ without consuming it, and the redrive function (its factory and its configuration).
 */
export type { AlarmState, AlarmStateReader } from '../alarms/alarmState.js';
export type { AttemptEntry, AttemptHistory, NotAttemptedReason } from '../attempts/attemptHistory.js';
export type { AwsClients } from '../aws/awsClients.js';
export {
  REDRIVE_CONFIG_ENV_VAR,
  type RedriveConfig,
  type RedriveContinuation,
  type ReturnBreakerConfig,
  redriveConfigEnvironment,
} from '../config/redriveConfig.js';
export {
  type FailureFingerprint,
  type FingerprintInput,
  failureFingerprint,
  normaliseErrorMessage,
} from '../deadLetter/failureFingerprint.js';
export type { FailureMetadata } from '../deadLetter/failureMetadata.js';
export { FailsafeError } from '../errors.js';
export type { LambdaContextLike } from '../event/sqsEvent.js';
export {
  createRedriveHandler,
  type RedriveHandlerOptions,
  type RedriveInvocationResult,
} from '../redriveFunction/createRedriveHandler.js';
export type { DeadLetterReason, LoggerLike } from '../types.js';
export { type PeekedMessage, type PeekOptions, type PeekResult, peekDeadLetters } from './peekDeadLetters.js';
export { type QueueSample, type QueueStats, type QueueStatsOptions, queueStats } from './queueStats.js';
export { REDRIVE_COUNT_ATTRIBUTE, readRedriveCount } from './redriveCount.js';
export { redrive } from './redriveEngine.js';
export {
  InvalidRedriveTriggerError,
  MessageMoveTaskError,
  RedriveDestinationNotPairedError,
  RedriveError,
  RedriveInterruptedError,
  RedriveQueueNotFoundError,
  RedriveQueueTypeMismatchError,
} from './redriveErrors.js';
export {
  type JsonScalar,
  type OneFilter,
  parseRedriveFilter,
  type RedriveFilter,
} from './redriveFilter.js';
export type { RedriveOperation, RedriveOptions } from './redriveOptions.js';
export type {
  NativeTaskReport,
  RedriveCounts,
  RedriveMessageAction,
  RedriveMessageOutcome,
  RedrivePlan,
  RedriveProgress,
  RedriveReport,
  RedriveStopReason,
} from './redriveReport.js';
export type { RedriveStrategy, RedriveStrategyChoice } from './redriveStrategy.js';
