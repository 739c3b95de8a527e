import type { ResolvedRedriveConfig } from '../config/redriveConfig.js';
import type { RedriveState } from './redriveState.js';

type ConsumerBreakerConfig = ResolvedRedriveConfig['circuitBreaker'];

/**
 * The breaker watches whether redriven messages come back. Within a window it counts messages redriven
 * and messages received from the DLQ already carrying a redrive count (they were redriven and failed
 * again). When the returns reach `returnThreshold` of what had been redriven before this run, and enough
 * was redriven for the ratio to mean something, it opens: automatic redrives stop for `openSeconds`, since
 * the consumer is evidently still failing and redriving would only feed the loop.
 */

/** The state as of `now`: a window that ran out starts afresh, an open breaker whose time passed closes. */
export function currentWindow(state: RedriveState, config: ConsumerBreakerConfig, now: number): RedriveState {
  const closed = state.openUntil !== 0 && state.openUntil <= now;
  const expired = state.windowStartedAt !== 0 && now - state.windowStartedAt >= config.windowSeconds * 1_000;
  if (!closed && !expired) return state;
  return { ...state, windowStartedAt: 0, redriven: 0, returned: 0, openUntil: closed ? 0 : state.openUntil };
}

export function isOpen(state: RedriveState, now: number): boolean {
  return state.openUntil > now;
}

/** Whether `returnedThisRun` more returns would open the breaker. */
export function breakerTrips(
  state: RedriveState,
  returnedThisRun: number,
  config: ConsumerBreakerConfig,
): boolean {
  if (state.redriven < config.minRedriven) return false;
  return (state.returned + returnedThisRun) / state.redriven >= config.returnThreshold;
}

/** The state after a run that redrove `redriven` messages and saw `returned` come back. */
export function afterRun(
  state: RedriveState,
  run: { readonly redriven: number; readonly returned: number },
  config: ConsumerBreakerConfig,
  now: number,
): RedriveState {
  const tripped = breakerTrips(state, run.returned, config);
  return {
    ...state,
    lastRunAt: now,
    windowStartedAt: state.windowStartedAt === 0 ? now : state.windowStartedAt,
    redriven: state.redriven + run.redriven,
    returned: state.returned + run.returned,
    openUntil: tripped ? now + config.openSeconds * 1_000 : state.openUntil,
  };
}
