import { createConsumerBreakerHandler } from '../../lib/consumerBreaker/createConsumerBreakerHandler.js';

/**
 * The consumer breaker's controller: pauses, probes or resumes the consumer's event source mapping on the
 * transient-failure alarm's state changes and on its schedule. Configured by SQS_FAILSAFE_BREAKER_CONFIG
 * (docs/outage-protection.md), read at cold start so a bad deployment fails before it touches the mapping.
 */
export const handler = createConsumerBreakerHandler();
