import { dependencyOfError } from '../errors.js';
import type { SqsRecord } from '../event/sqsEvent.js';
import type { LoggerLike } from '../types.js';

/** The dependency breaker's options after validation and defaulting. */
export interface DependencyBreakerSettings {
  readonly consecutiveFailures: number;
  readonly dependencyOf: ((error: Error, record: SqsRecord) => string | undefined) | undefined;
  readonly dependenciesOf: ((message: unknown, record: SqsRecord) => readonly string[]) | undefined;
}

/** What a record calls: the dependencies it declared, or every dependency when it declares nothing. */
export type RecordDependencies = readonly string[] | 'all';

/**
 * The in-invocation breaker: after N transient failures in a row against the same dependency within one
 * batch, that dependency is open and no record that would call it is attempted (or retried) for the rest
 * of the batch. Such records report failed, retryable, so they keep their redelivery delay; nothing is
 * dead-lettered for it. A new batch starts closed: across invocations the consumer-level breaker (the
 * alarm and the controller that pauses the event source mapping) takes over.
 *
 * Which records would call a dependency: without `dependenciesOf`, every record is assumed to call every
 * dependency (a consumer usually has one downstream), so one open dependency stops the rest of the
 * batch, and any success closes the count of every dependency. With `dependenciesOf`, only records that
 * declare an open dependency are held back, and a success resets only the dependencies it declared.
 * Records already running are not interrupted; they are only not retried.
 */
export class DependencyBreaker {
  readonly #settings: DependencyBreakerSettings;
  readonly #logger: LoggerLike;
  readonly #failuresInRow = new Map<string, number>();
  readonly #open = new Set<string>();

  constructor(settings: DependencyBreakerSettings, logger: LoggerLike) {
    this.#settings = settings;
    this.#logger = logger;
  }

  get consecutiveFailures(): number {
    return this.#settings.consecutiveFailures;
  }

  /** The dependencies a record calls, asked once per record before its first attempt. */
  dependenciesOf(message: unknown, record: SqsRecord): RecordDependencies {
    const declare = this.#settings.dependenciesOf;
    if (declare === undefined) return 'all';
    try {
      const declared = declare(message, record);
      return Array.isArray(declared) ? declared : [];
    } catch (error) {
      // A broken declaration must not hold a record back: it is attempted, as without the breaker.
      this.#logger.warn('dependenciesOf threw; the record is attempted as if it called no dependency', {
        messageId: record.messageId,
        error: error instanceof Error ? error.message : String(error),
      });
      return [];
    }
  }

  /** The open dependency that keeps this record from being attempted, if any. */
  blocking(dependencies: RecordDependencies): string | undefined {
    if (this.#open.size === 0) return undefined;
    if (dependencies === 'all') return this.#open.values().next().value;
    return dependencies.find((dependency) => this.#open.has(dependency));
  }

  /** Counts a failed attempt against the dependency it names; permanent errors say nothing about health. */
  recordFailure(error: Error, record: SqsRecord, permanent: boolean): void {
    if (permanent) return;
    const dependency = this.#dependencyOf(error, record);
    if (dependency === undefined) return;
    const inRow = (this.#failuresInRow.get(dependency) ?? 0) + 1;
    this.#failuresInRow.set(dependency, inRow);
    if (inRow >= this.#settings.consecutiveFailures && !this.#open.has(dependency)) {
      this.#open.add(dependency);
      this.#logger.warn(
        `Dependency ${dependency} failed ${inRow} times in a row; not calling it again in this batch`,
        { dependency, consecutiveFailures: inRow, messageId: record.messageId },
      );
    }
  }

  /** A success shows the dependencies it called work: their count of failures in a row starts again. */
  recordSuccess(dependencies: RecordDependencies): void {
    if (this.#failuresInRow.size === 0) return;
    if (dependencies === 'all') {
      for (const dependency of this.#failuresInRow.keys())
        if (!this.#open.has(dependency)) this.#failuresInRow.delete(dependency);
      return;
    }
    for (const dependency of dependencies)
      if (!this.#open.has(dependency)) this.#failuresInRow.delete(dependency);
  }

  #dependencyOf(error: Error, record: SqsRecord): string | undefined {
    const named = dependencyOfError(error);
    if (named !== undefined || this.#settings.dependencyOf === undefined) return named;
    try {
      return this.#settings.dependencyOf(error, record);
    } catch {
      return undefined;
    }
  }
}
