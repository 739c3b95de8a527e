import { describe, expect, it } from 'vitest';
import {
  createBatchHandler,
  createBatchProcessor,
  HandlerResultError,
  InvalidEventError,
  InvalidOptionsError,
} from '../../../lib/index.js';
import snsEvent from '../../fixtures/events/sns-event.json' with { type: 'json' };
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

const handler = createBatchHandler(() => 'ok');

describe('bad input', () => {
  it.each([
    ['undefined', undefined, /Expected an SQS event/],
    ['a string', 'hello', /Expected an SQS event \(\{ Records: \[\.\.\.\] \}\), got string/],
    ['an object without Records', { detail: {} }, /got an object with keys detail/],
    ['Records that is not a list', { Records: 'x' }, /Expected an SQS event/],
    ['an SNS event', snsEvent, /Records\[0\]\.eventSource is undefined, expected "aws:sqs"/],
    [
      'a DynamoDB stream record',
      { Records: [{ eventSource: 'aws:dynamodb' }] },
      /eventSource is "aws:dynamodb"/,
    ],
    ['a record that is null', { Records: [null] }, /Records\[0\] is null/],
  ])('rejects %s with InvalidEventError', async (_, event, message) => {
    await expect(handler(event)).rejects.toThrow(InvalidEventError);
    await expect(handler(event)).rejects.toThrow(message);
  });

  it('rejects a record without messageId before processing anything (it could not be reported)', async () => {
    let calls = 0;
    const counting = createBatchHandler(() => {
      calls += 1;
    });
    const event = eventOf([sqsRecord(), { ...sqsRecord(), messageId: '' }]);
    await expect(counting(event)).rejects.toThrow(/Records\[1\] has no messageId/);
    expect(calls).toBe(0);
  });

  it('rejects records from two queues', async () => {
    const event = eventOf([
      sqsRecord(),
      sqsRecord({ eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:other' }),
    ]);
    await expect(handler(event)).rejects.toThrow(/two queues/);
  });

  it('rejects a malformed eventSourceARN', async () => {
    await expect(handler(eventOf([sqsRecord({ eventSourceARN: 'orders' })]))).rejects.toThrow(
      /is not an SQS queue ARN/,
    );
  });

  it('treats an empty Records list as success with nothing to do', async () => {
    await expect(handler({ Records: [] })).resolves.toEqual({ batchItemFailures: [] });
  });

  it('treats a handler that returns an Error (instead of throwing it) as a failure', async () => {
    const returnsError = createBatchProcessor(() => new Error('forgot to throw'), { retry: false });
    const result = await returnsError(eventOf([sqsRecord()]));
    expect(result.outcomes[0]?.status).toBe('failed');
    expect(result.outcomes[0]?.error).toBeInstanceOf(HandlerResultError);
    expect(result.outcomes[0]?.error?.cause).toMatchObject({ message: 'forgot to throw' });
    expect(result.response.batchItemFailures).toHaveLength(1);
  });

  it('turns a thrown non-Error into an Error that says what was thrown', async () => {
    const throwsString = createBatchProcessor(
      () => {
        throw 'boom';
      },
      { retry: false },
    );
    const result = await throwsString(eventOf([sqsRecord()]));
    expect(result.outcomes[0]?.error?.message).toBe('Non-error thrown: boom');
  });

  it('rejects a handler that is not a function', () => {
    expect(() => createBatchHandler('nope' as never)).toThrow(/handler must be a function/);
  });

  it('lists every out-of-range option at once', () => {
    let caught: unknown;
    try {
      createBatchHandler(() => {}, {
        concurrency: 0,
        safetyMarginMs: -1,
        retry: { maxAttempts: -2, baseDelayMs: 500, maxDelayMs: 100 },
        body: 'xml' as never,
        concurency: 3,
      } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    const { problems } = caught as InvalidOptionsError;
    expect(problems).toEqual(
      expect.arrayContaining([
        'concurrency: must be an integer from 1 to 1000 (got 0)',
        'safetyMarginMs: must be an integer from 0 to 60000 (got -1)',
        'body: must be "json" or "text" (got "xml")',
        'concurency: is not a known option (concurency)',
        'retry.maxAttempts: must be an integer from 1 to 100 (got -2)',
        expect.stringMatching(/^retry: maxDelayMs must be >= baseDelayMs/),
      ]),
    );
  });

  it.each([
    [{ retry: { scheduleMs: [] } }, /retry.scheduleMs: must list at least one delay/],
    [
      { retry: { scheduleMs: [100, -5] } },
      /retry.scheduleMs.1: must be an integer from 0 to 900000 \(got -5\)/,
    ],
    [{ retry: { scheduleMs: [100], maxAttempts: 3 } }, /scheduleMs cannot be combined with maxAttempts/],
    [{ retry: { multiplier: 0.5 } }, /retry.multiplier: must be a number >= 1/],
    [{ retry: { retryOn: 'yes' } }, /retry.retryOn: must be a function/],
    [{ hooks: { onSucess: () => {} } }, /hooks.onSucess: is not a known option/],
    [{ logger: { info() {} } }, /logger: must have debug, info, warn and error methods/],
    [{ schema: { parse() {} } }, /schema: must be a Standard Schema/],
    [{ fifoMode: 'strict' }, /fifoMode: must be "stop-on-first-failure" or "skip-failed-group"/],
    [{ stages: [{ run() {} }] }, /stages.0: must be a stage/],
  ])('rejects %j', (options, message) => {
    expect(() => createBatchHandler(() => {}, options as never)).toThrow(message);
  });
});
