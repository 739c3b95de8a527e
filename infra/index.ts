/**
 * sqs-failsafe CDK constructs (`sqs-failsafe/cdk`): a failure-handled SQS consumer that refuses unsafe
 * retry settings at synth time, with its redrive function, circuit breaker and idempotency table; an alert
 * topic its alarms can publish to encrypted; and the local esbuild bundling it uses.
 */
export { AlertTopic, type AlertTopicProps } from './alerts/AlertTopic.js';
export { BUNDLED_HANDLER, bundledCode } from './bundling/bundledCode.js';
export { lambdaBundleOptions } from './bundling/lambdaBundleOptions.js';
export { packagedHandlerEntry } from './bundling/packagedEntry.js';
export { breakerControllerEnvironment } from './consumer/breakerControllerEnvironment.js';
export { BREAKER_ALARM_DEFAULTS } from './consumer/breakerSettings.js';
export type { ConsumerAlarms } from './consumer/consumerAlarms.js';
export { FailsafeConsumer } from './consumer/FailsafeConsumer.js';
export { failsafeConfigEnvironment } from './consumer/failsafeConfigEnvironment.js';
export type {
  ConsumerBreakerSettings,
  FailsafeConsumerProps,
  FailsafeSettings,
  IdempotencySettings,
  RedriveSettings,
} from './consumer/failsafeConsumerProps.js';
export { formatDuration } from './consumer/formatDuration.js';
export {
  InvalidConsumerSettingsError,
  type SettingProblem,
} from './consumer/InvalidConsumerSettingsError.js';
export {
  DEFAULT_REDELIVERY_BACKOFF,
  type ResolvedRedeliveryBackoff,
  redeliveryWaitSeconds,
} from './consumer/redeliveryBackoff.js';
export { REDRIVE_ENVIRONMENT } from './consumer/redriveEnvironment.js';
export { redriveFunctionEnvironment } from './consumer/redriveFunctionEnvironment.js';
export { REDRIVE_FUNCTION_DEFAULTS } from './consumer/redriveSettings.js';
export {
  describeRetryHorizon,
  type RetryHorizon,
  type RetryHorizonInput,
  retryHorizon,
} from './consumer/retryHorizon.js';
