import type { BreakerState, EventSourceMappingStatus } from '../types.js';
import type { ResolvedBreakerConfig } from './breakerConfig.js';

/**
 * The breaker's state, read from the mapping alone, so no store is needed between invocations: a pause
 * sets Enabled=false together with MaximumConcurrency=halfOpenConcurrency, half-open enables it at that
 * concurrency, and closing restores the full one. A mapping disabled at any other concurrency was
 * disabled by someone else (an operator, a deployment) and is not the breaker's to resume. LastModified
 * then tells when the last transition happened, which is all the cool-down and the probe need.
 *
 * @example
 * breakerStateOf(await mappings.get(config.mappingUuid), config); // 'half-open'
 */
export function breakerStateOf(
  mapping: EventSourceMappingStatus,
  config: ResolvedBreakerConfig,
): BreakerState {
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
