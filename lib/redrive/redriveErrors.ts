import { FailsafeError } from '../errors.js';
import type { RedriveReport } from './redriveReport.js';

/** The errors a redrive (the engine, a peek, the redrive function) raises. */

/** Base class of the errors a redrive raises. */
export class RedriveError extends FailsafeError {
  override name = 'RedriveError';
}

/** A queue named for a redrive (DLQ, source, parking queue) or a peek does not exist or cannot be seen. */
export class RedriveQueueNotFoundError extends RedriveError {
  override name = 'RedriveQueueNotFoundError';

  constructor(role: string, queue: string, consequence = 'nothing was moved') {
    super(`The ${role} ${queue} does not exist (or this identity cannot see it); ${consequence}.`, {
      role,
      queue,
    });
  }
}

/**
 * A destination the operator named for a redrive (`source`) whose redrive policy does not name the DLQ, not
 * confirmed with `confirmUnpairedSource`. Thrown before anything moves.
 */
export class RedriveDestinationNotPairedError extends RedriveError {
  override name = 'RedriveDestinationNotPairedError';
}

/** A standard queue paired with a FIFO queue: SQS requires a DLQ and its sources to be of one type. */
export class RedriveQueueTypeMismatchError extends RedriveError {
  override name = 'RedriveQueueTypeMismatchError';
}

/**
 * A redrive stopped on an error it could not work around (the DLQ deleted mid-run, access denied). The
 * messages it held were released first; `report` says what had moved by then.
 */
export class RedriveInterruptedError extends RedriveError {
  override name = 'RedriveInterruptedError';
  readonly report: RedriveReport;

  constructor(message: string, report: RedriveReport, cause: unknown) {
    super(message, { stopReason: report.stopReason }, cause);
    this.report = report;
  }
}

/** SQS refused to start a message move task (one already runs on the DLQ, or it is not a DLQ). */
export class MessageMoveTaskError extends RedriveError {
  override name = 'MessageMoveTaskError';
}

/** The redrive function received a payload it does not know, or one missing what it needs. */
export class InvalidRedriveTriggerError extends FailsafeError {
  override name = 'InvalidRedriveTriggerError';
}
