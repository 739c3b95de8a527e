import type { LambdaContextLike } from '../event/sqsEvent.js';
import type { HookRunner } from '../hooks/hookRunner.js';
import type { TimeBudget } from '../time/timeBudget.js';
import type { MetricCounter, RecordHandler } from '../types.js';
import { DependencyBreaker } from './dependencyBreaker.js';
import type { ResolvedBatchOptions } from './resolveBatchOptions.js';

/** What every record of one invocation shares while it is processed. */
export class RunContext {
  readonly handler: RecordHandler<unknown, unknown>;
  readonly settings: ResolvedBatchOptions;
  readonly budget: TimeBudget;
  readonly hooks: HookRunner;
  readonly lambdaContext: LambdaContextLike;
  /** Counts the runner adds while records run (retries denied, records failed fast, duplicates). */
  readonly metrics: MetricCounter;
  /** One per batch, only when the option is on: a new batch starts with every dependency closed. */
  readonly dependencyBreaker: DependencyBreaker | undefined;
  #attemptCount = 0;
  #attemptTotalMs = 0;

  constructor(
    handler: RecordHandler<unknown, unknown>,
    settings: ResolvedBatchOptions,
    budget: TimeBudget,
    hooks: HookRunner,
    lambdaContext: LambdaContextLike,
    metrics: MetricCounter,
  ) {
    this.handler = handler;
    this.settings = settings;
    this.budget = budget;
    this.hooks = hooks;
    this.lambdaContext = lambdaContext;
    this.metrics = metrics;
    this.dependencyBreaker =
      settings.dependencyBreaker === undefined
        ? undefined
        : new DependencyBreaker(settings.dependencyBreaker, settings.logger);
  }

  /** Feeds the estimate used to decide whether a first attempt still fits in the budget. */
  recordAttempt(durationMs: number): void {
    this.#attemptCount += 1;
    this.#attemptTotalMs += durationMs;
  }

  /** Mean attempt length so far in this batch; 0 before any attempt finished. */
  get typicalAttemptMs(): number {
    return this.#attemptCount === 0 ? 0 : this.#attemptTotalMs / this.#attemptCount;
  }
}
