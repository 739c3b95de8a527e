/**
 * sqs-failsafe CDK constructs (`sqs-failsafe/cdk`): a failure-handled SQS consumer that refuses unsafe
 * retry settings at synth time, with its redrive function, circuit breaker and idempotency table; an alert
 * topic its alarms can publish to encrypted; and the local esbuild bundling it uses.
 */
export { AlertTopic, type AlertTopicProps } from './alerts/AlertTopic.js';
export { BUNDLED_HANDLER, bundledCode } from './bundling/bundledCode.js';
export { lambdaBundleOptions } from './bundling/lambdaBundleOptions.js';
export { packagedHandlerEntry } from './bundling/packagedEntry.js';
export { BREAKER_ALARM_DEFAULTS } from './consumer/breaker/breakerSettings.js';
export { formatDuration } from './consumer/durations/formatDuration.js';
export { breakerConfigEnvironment } from './consumer/environment/breakerConfigEnvironment.js';
export { failsafeConfigEnvironment } from './consumer/environment/failsafeConfigEnvironment.js';
export { REDRIVE_ADDRESS_VARIABLES } from './consumer/environment/redriveAddressVariables.js';
export { redriveConfigEnvironment } from './consumer/environment/redriveConfigEnvironment.js';
export { FailsafeConsumer } from './consumer/FailsafeConsumer.js';
export type {
  ConsumerBreakerSettings,
  FailsafeConsumerProps,
  FailsafeSettings,
  IdempotencySettings,
  RedriveSettings,
} from './consumer/failsafeConsumerProps.js';
export type { ConsumerAlarms } from './consumer/monitoring/consumerAlarms.js';
export { REDRIVE_FUNCTION_DEFAULTS } from './consumer/redrive/redriveSettings.js';
export {
  DEFAULT_REDELIVERY_BACKOFF,
  type ResolvedRedeliveryBackoff,
  redeliveryWaitSeconds,
} from './consumer/retry/redeliveryBackoff.js';
export {
  describeRetryHorizon,
  type RetryHorizon,
  type RetryHorizonInput,
  retryHorizon,
} from './consumer/retry/retryHorizon.js';
export {
  InvalidConsumerSettingsError,
  type SettingProblem,
} from './consumer/settings/InvalidConsumerSettingsError.js';
