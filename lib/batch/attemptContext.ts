import type { LambdaContextLike, SqsRecord } from '../event/sqsEvent.js';
import type { LoggerLike, RecordContext, RecordOutcome } from '../types.js';
import type { RunContext } from './runContext.js';

/**
 * The context a handler gets with each call. A class with a getter for the signal, so that a handler
 * which never looks at the signal never makes the time budget create its AbortController.
 */
export class AttemptContext implements RecordContext {
  readonly record: SqsRecord;
  readonly messageId: string;
  readonly attempt: number;
  readonly call: number;
  readonly #run: RunContext;

  constructor(outcome: RecordOutcome, call: number, run: RunContext) {
    this.record = outcome.record;
    this.messageId = outcome.messageId;
    // Settling counts this delivery's attempt, so until then it is the earlier ones plus this.
    this.attempt = outcome.attempts + 1;
    this.call = call;
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
