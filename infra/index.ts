/**
 * sqs-failsafe CDK constructs (`sqs-failsafe/cdk`): a failure-handled SQS consumer that refuses unsafe
 * retry settings at synth time, with its redrive function, circuit breaker and idempotency table; and an
 * alert topic its alarms can publish to encrypted.
 *
 * A deliberate list, reported in api/cdk.api.md and compared in npm test (test/package/apiReport.test.ts):
 * - the constructs and their props: FailsafeConsumer, AlertTopic and the props types;
 * - what the construct throws when its settings cannot work: InvalidConsumerSettingsError, SettingProblem;
 * - the types of the construct's public properties: ConsumerAlarms (`alarms`), RetryHorizon (`retryHorizon`);
 * - for functions built outside the construct (docs/construct.md, docs/redrive.md, docs/outage-protection.md):
 *   the same bundling (bundledCode, BUNDLED_HANDLER) and the same configuration variables
 *   (redriveConfigEnvironment, consumerBreakerConfigEnvironment, REDRIVE_ADDRESS_VARIABLES).
 * Internals (the retry math, defaults tables, formatting, other writers) are imported by relative path.
 */

export type { RetryHorizon } from '../lib/setupRules/retryHorizon.js';
export { AlertTopic, type AlertTopicProps } from './alerts/AlertTopic.js';
export { BUNDLED_HANDLER, bundledCode } from './bundling/bundledCode.js';
export { consumerBreakerConfigEnvironment } from './consumer/environment/consumerBreakerConfigEnvironment.js';
export { REDRIVE_ADDRESS_VARIABLES } from './consumer/environment/redriveAddressVariables.js';
export { redriveConfigEnvironment } from './consumer/environment/redriveConfigEnvironment.js';
export type { ExistingQueueSettings } from './consumer/existing/existingQueueSettings.js';
export { FailsafeConsumer } from './consumer/FailsafeConsumer.js';
export type {
  ConsumerBreakerSettings,
  FailsafeConsumerProps,
  FailsafeSettings,
  IdempotencySettings,
  ProvisionedPollersSettings,
  RedriveReturnBreakerSettings,
  RedriveSettings,
} from './consumer/failsafeConsumerProps.js';
export type { ConsumerAlarms } from './consumer/monitoring/consumerAlarms.js';
export {
  InvalidConsumerSettingsError,
  type SettingProblem,
} from './consumer/settings/InvalidConsumerSettingsError.js';
export type {
  EventRuleSettings,
  TopicSubscriptionSettings,
} from './consumer/sources/queueSourceSettings.js';
