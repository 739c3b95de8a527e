import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import { PermanentError, sqsFailsafe } from '../../../lib/index.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { sqsEvent } from '../../helpers/sqsEvents.js';

const recordHandler = (message: unknown) => {
  if ((message as { fail?: boolean }).fail) throw new PermanentError('rejected');
};

describe('sqsFailsafe Middy middleware', () => {
  it('returns the partial batch response from a Middy handler with an empty base handler', async () => {
    // Prepare
    const handler = middy().use(sqsFailsafe(recordHandler));
    const event = sqsEvent([{}, { fail: true }, {}]);
    // Act
    const response = await handler(event, lambdaContext() as never);
    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]?.messageId }] });
  });

  it('composes with other middlewares: their after hooks see the response', async () => {
    const seen: unknown[] = [];
    const observer = { after: (request: { response: unknown }) => void seen.push(request.response) };
    const handler = middy().use(observer).use(sqsFailsafe(recordHandler));
    await handler(sqsEvent([{ fail: true }]), lambdaContext() as never);
    expect(seen).toEqual([
      { batchItemFailures: [expect.objectContaining({ itemIdentifier: expect.any(String) })] },
    ]);
  });

  it('replaces a value returned by the base handler and warns (it could delete failed messages)', async () => {
    const warn = vi.fn();
    const logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() };
    const handler = middy(async () => ({ batchItemFailures: [] })).use(
      sqsFailsafe(recordHandler, { logger }),
    );
    const event = sqsEvent([{ fail: true }]);
    const response = await handler(event, lambdaContext() as never);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }] });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/base handler returned a value/));
  });

  it('lets an invalid event fail the invocation (SQS keeps every message)', async () => {
    const handler = middy().use(sqsFailsafe(recordHandler));
    await expect(handler({ hello: 'world' }, lambdaContext() as never)).rejects.toThrow(
      /Expected an SQS event/,
    );
  });
});
