import type { LambdaContextLike, SqsRecord } from '../event/sqsEvent.js';
import type { LoggerLike, RecordContext } from '../types.js';
import type { RunContext } from './runContext.js';

/**
 * The context a handler gets with each attempt. A class with a getter for the signal, so that a handler
 * which never looks at the signal never makes the time budget create its AbortController.
 */
export class AttemptContext implements RecordContext {
  readonly record: SqsRecord;
  readonly attempt: number;
  readonly #run: RunContext;

  constructor(record: SqsRecord, attempt: number, run: RunContext) {
    this.record = record;
    this.attempt = attempt;
    this.#run = run;
  }

  get signal(): AbortSignal {
    return this.#run.budget.signal;
  }

  get lambdaContext(): LambdaContextLike {
    return this.#run.lambdaContext;
  }

  get logger(): LoggerLike {
    return this.#run.settings.logger;
  }
}
