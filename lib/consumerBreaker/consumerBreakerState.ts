import type { EventSourceMappingStatus } from '../aws/eventSourceMappingApi.js';
import type { ResolvedConsumerBreakerConfig } from '../config/consumerBreakerConfig.js';

/**
 * The consumer-level circuit breaker, read from the event source mapping itself:
 * - `closed`: enabled at its configured concurrency: consuming normally;
 * - `open`: disabled by the breaker (its maximum concurrency set to the half-open value): paused;
 * - `half-open`: enabled at the half-open concurrency: probing whether the dependency is back;
 * - `stopped`: disabled by someone else (any other concurrency): the controller leaves it alone;
 * - `transitioning`: being created or deleted: nothing to do until it settles.
 */
export type ConsumerBreakerState = 'closed' | 'open' | 'half-open' | 'stopped' | 'transitioning';

/**
 * The breaker's state, read from the mapping alone, so no store is needed between invocations: a pause
 * sets Enabled=false together with MaximumConcurrency=halfOpenConcurrency, half-open enables it at that
 * concurrency, and closing restores the full one. A mapping disabled at any other concurrency was
 * disabled by someone else (an operator, a deployment) and is not the breaker's to resume. LastModified
 * then tells when the last transition happened, which is all the cool-down and the probe need.
 *
 * @example
 * consumerBreakerStateOf(await mappings.get(config.mappingUuid), config); // 'half-open'
 */
export function consumerBreakerStateOf(
  mapping: EventSourceMappingStatus,
  config: ResolvedConsumerBreakerConfig,
): ConsumerBreakerState {
  const atHalfOpen = mapping.maximumConcurrency === config.halfOpenConcurrency;
  switch (mapping.state) {
    case 'Disabled':
    case 'Disabling':
      return atHalfOpen ? 'open' : 'stopped';
    case 'Enabled':
    case 'Enabling':
    case 'Updating':
      return atHalfOpen ? 'half-open' : 'closed';
    default:
      // Creating, Deleting, or a state this version does not know.
      return 'transitioning';
  }
}
