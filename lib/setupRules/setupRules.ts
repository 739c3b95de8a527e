import type { ConsumerSetup } from './consumerSetup.js';
import { ALARM_RULES } from './rules/alarmRules.js';
import {
  CONSUMER_BREAKER_NEEDS_ON_DEMAND_MODE,
  PROVISIONED_MODE_WITHOUT_MAXIMUM_CONCURRENCY,
  RESERVED_CONCURRENCY_COVERS_MAPPING,
} from './rules/concurrencyRules.js';
import { RUNTIME_CONFIGURATION_VALID } from './rules/configurationRules.js';
import {
  ATTEMPT_LEDGER_OUTLASTS_RETRY_HORIZON,
  IDEMPOTENCY_OUTLASTS_RETRY_HORIZON,
} from './rules/expiryRules.js';
import {
  DEAD_LETTER_QUEUE_CONFIGURED,
  MAPPING_FILTERS_DELETE_MESSAGES,
  REPORTS_BATCH_ITEM_FAILURES,
  RUNTIME_DEAD_LETTERS_TO_REDRIVE_TARGET,
} from './rules/mappingRules.js';
import {
  MAX_RECEIVE_COUNT_SAFETY_NET,
  MAX_RECEIVE_COUNT_SURVIVES_THROTTLES,
} from './rules/receiveCountRules.js';
import {
  BREAKER_PAUSE_WITHIN_RETENTION,
  DEAD_LETTER_RETENTION_OUTLASTS_SOURCE,
  RETENTION_OUTLASTS_RETRY_HORIZON,
} from './rules/retentionRules.js';
import { CALLBACK_TOPICS_IN_REGION } from './rules/topicRules.js';
import { VISIBILITY_TIMEOUT_COVERS_INVOCATIONS } from './rules/visibilityRules.js';
import { findingsOf, type SetupFinding, type SetupRule } from './setupRule.js';

/**
 * Every rule, in the order findings are listed: the queues and the mapping first, then what sits around them,
 * then who hears of trouble. The construct applies them at synth time to what it is about to deploy;
 * `sqs-failsafe doctor` applies them to what an account runs. docs/construct.md lists them.
 */
export const SETUP_RULES: readonly SetupRule[] = [
  RUNTIME_CONFIGURATION_VALID,
  DEAD_LETTER_QUEUE_CONFIGURED,
  RUNTIME_DEAD_LETTERS_TO_REDRIVE_TARGET,
  REPORTS_BATCH_ITEM_FAILURES,
  MAPPING_FILTERS_DELETE_MESSAGES,
  VISIBILITY_TIMEOUT_COVERS_INVOCATIONS,
  MAX_RECEIVE_COUNT_SAFETY_NET,
  MAX_RECEIVE_COUNT_SURVIVES_THROTTLES,
  RETENTION_OUTLASTS_RETRY_HORIZON,
  DEAD_LETTER_RETENTION_OUTLASTS_SOURCE,
  BREAKER_PAUSE_WITHIN_RETENTION,
  RESERVED_CONCURRENCY_COVERS_MAPPING,
  PROVISIONED_MODE_WITHOUT_MAXIMUM_CONCURRENCY,
  CONSUMER_BREAKER_NEEDS_ON_DEMAND_MODE,
  IDEMPOTENCY_OUTLASTS_RETRY_HORIZON,
  ATTEMPT_LEDGER_OUTLASTS_RETRY_HORIZON,
  CALLBACK_TOPICS_IN_REGION,
  ...ALARM_RULES,
];

/**
 * Every finding of every rule (or of the rules given) on one setup, in rule order; empty when it is sound.
 *
 * @example
 * const errors = checkConsumerSetup(setup).filter((finding) => finding.severity === 'error');
 */
export function checkConsumerSetup(
  setup: ConsumerSetup,
  rules: readonly SetupRule[] = SETUP_RULES,
): SetupFinding[] {
  return rules.flatMap((rule) => findingsOf(rule, setup));
}
