import { MESSAGE_MOVE_TASK_MAX_RATE } from '../aws/serviceLimits.js';
import { InvalidOptionsError } from '../errors.js';
import type { ResolvedRedriveOptions } from './redriveOptions.js';
import type { RedriveStrategy } from './redriveStrategy.js';

export interface StrategyChoice {
  readonly strategy: RedriveStrategy;
  readonly reason: string;
}

/**
 * What only the manual strategy can do. The native task moves every message, unchanged, as fast as SQS
 * chooses (at most 500/s): it cannot filter, count redrives, cap, park, stop after N or report per message.
 */
export function manualOnlyNeeds(options: ResolvedRedriveOptions): string[] {
  const needs: string[] = [];
  if (options.operation !== 'redrive') needs.push(`the ${options.operation} operation`);
  if (options.filters.length > 0) needs.push('a filter');
  if (options.dryRun) needs.push('a dry run');
  if (options.maxRedrivesPerMessage !== undefined) needs.push('a redrive cap (maxRedrivesPerMessage)');
  if (options.parkingQueue !== undefined) needs.push('a parking queue');
  if (options.maxMessages !== undefined) needs.push('a message limit (maxMessages)');
  if (options.ratePerSecond !== undefined && options.ratePerSecond > MESSAGE_MOVE_TASK_MAX_RATE)
    needs.push(`a rate above ${MESSAGE_MOVE_TASK_MAX_RATE} msg/s`);
  if (options.ratePerSecond !== undefined && !Number.isInteger(options.ratePerSecond))
    needs.push('a fractional rate');
  return needs;
}

/**
 * The strategy a run starts with. `auto` takes native only when nothing asked for needs manual and no
 * fallback source is given: the native task can send every message to one queue or each back to its
 * original source, but it cannot use a queue only as a fallback as the manual strategy does. Whether the
 * endpoint implements the native API is found out by trying (redriveEngine falls back to manual).
 */
export function chooseStrategy(options: ResolvedRedriveOptions): StrategyChoice {
  const needs = manualOnlyNeeds(options);
  if (options.strategy === 'manual')
    return { strategy: 'manual', reason: 'the manual strategy was asked for' };
  if (options.strategy === 'native') {
    if (needs.length > 0) {
      throw new InvalidOptionsError('redrive options', [
        `strategy: "native" cannot honour ${needs.join(', ')}; use "manual" or "auto"`,
      ]);
    }
    return { strategy: 'native', reason: 'the native strategy was asked for' };
  }
  if (needs.length > 0) return { strategy: 'manual', reason: `the run needs ${needs.join(', ')}` };
  if (options.source !== undefined) {
    return {
      strategy: 'manual',
      reason: 'a fallback source queue is given, which only the manual strategy can apply per message',
    };
  }
  return { strategy: 'native', reason: 'no filter, cap, limit or dry run: SQS moves the messages itself' };
}
