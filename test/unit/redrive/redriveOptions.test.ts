import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../../lib/index.js';
import type { RedriveOptions } from '../../../lib/redrive/index.js';
import { REDRIVE_DEFAULTS, resolveRedriveOptions } from '../../../lib/redrive/redriveOptions.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';

describe('resolveRedriveOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveRedriveOptions({ dlq: 'orders-dlq', logger: recordingLogger() });
    expect(resolved).toMatchObject({
      strategy: 'auto',
      concurrency: REDRIVE_DEFAULTS.concurrency,
      visibilityTimeoutSeconds: 60,
      receiveWaitSeconds: 1,
      dryRun: false,
      filters: [],
    });
    expect(resolved.maxMessages).toBeUndefined();
  });

  it('lists every problem at once', () => {
    const options = {
      dlq: '',
      concurrency: 0,
      ratePerSecond: -1,
      receiveWaitSeconds: 21,
      parkingQueue: 'parked',
      filter: [{ jsonPath: 'a', equals: 1 }],
      surprise: true,
    } as unknown as RedriveOptions;
    let error: unknown;
    try {
      resolveRedriveOptions(options);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).problems).toEqual([
      'dlq: must be a queue URL, ARN or name (got "")',
      'ratePerSecond: must be a number from 0.01 to 1000000 (got -1)',
      'concurrency: must be an integer from 1 to 100 (got 0)',
      'receiveWaitSeconds: must be an integer from 0 to 20 (got 21)',
      'surprise: is not a known option (surprise)',
      'filter[0].jsonPath: a JSON path starts with "$" (got "a")',
      'parkingQueue: needs maxRedrivesPerMessage (only capped messages are parked) or operation "park"',
    ]);
  });

  it('runs the redrive operation unless told to park or delete; parking needs a parking queue', () => {
    expect(resolveRedriveOptions({ dlq: 'q' }).operation).toBe('redrive');
    expect(resolveRedriveOptions({ dlq: 'q', operation: 'delete' }).operation).toBe('delete');
    // A park run parks every selected message, so it needs no cap.
    expect(resolveRedriveOptions({ dlq: 'q', operation: 'park', parkingQueue: 'p' }).operation).toBe('park');
    expect(() => resolveRedriveOptions({ dlq: 'q', operation: 'park' })).toThrowError(
      /operation: "park" needs parkingQueue/,
    );
    expect(() =>
      resolveRedriveOptions({ dlq: 'q', operation: 'move' as unknown as RedriveOptions['operation'] }),
    ).toThrowError(/operation: must be "redrive", "park" or "delete"/);
  });

  it('refuses a source that is the DLQ itself', () => {
    expect(() => resolveRedriveOptions({ dlq: 'q', source: 'q' })).toThrowError(
      /source: must not be the DLQ itself/,
    );
  });
});
