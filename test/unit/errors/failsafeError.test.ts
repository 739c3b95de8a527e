import { describe, expect, it } from 'vitest';
import { createBatchProcessor, FailsafeError, HandlerResultError } from '../../../lib/index.js';
import { RedriveInterruptedError } from '../../../lib/redrive/index.js';
import type { RedriveReport } from '../../../lib/redrive/redriveReport.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

describe('FailsafeError', () => {
  it('keeps its data when a cause is given, and the cause as it was', () => {
    // Prepare
    const original = new Error('socket hang up');

    // Act
    const error = new FailsafeError('could not finish', { messageId: 'm-1' }, original);

    // Assess
    expect(error.data).toEqual({ messageId: 'm-1' });
    expect(error.cause).toBe(original);
  });

  it('without a cause, names the package and carries the data in the cause too', () => {
    const error = new FailsafeError('could not finish', { messageId: 'm-2' });
    expect(error.data).toEqual({ messageId: 'm-2' });
    expect(error.cause).toEqual({ package: 'sqs-failsafe', data: { messageId: 'm-2' } });
  });

  it('keeps the message id of a handler that returned its error instead of throwing it', async () => {
    // Prepare
    const returned = new Error('forgot to throw');
    const processor = createBatchProcessor(() => returned, { retry: false, configFromEnvironment: false });

    // Act
    const { outcomes } = await processor(eventOf([sqsRecord({ messageId: 'm-3' })]));

    // Assess
    const error = outcomes[0]?.error;
    expect(error).toBeInstanceOf(HandlerResultError);
    expect((error as HandlerResultError).data).toEqual({ messageId: 'm-3' });
    expect(error?.cause).toBe(returned);
  });

  it('keeps why an interrupted redrive stopped beside the error that stopped it', () => {
    const denied = new Error('AccessDenied');
    const error = new RedriveInterruptedError('stopped', { stopReason: 'drained' } as RedriveReport, denied);
    expect(error.data).toEqual({ stopReason: 'drained' });
    expect(error.cause).toBe(denied);
  });
});
