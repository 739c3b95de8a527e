import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../../lib/index.js';
import { chooseStrategy } from '../../../lib/redrive/chooseStrategy.js';
import type { RedriveOptions } from '../../../lib/redrive/index.js';
import { resolveRedriveOptions } from '../../../lib/redrive/redriveOptions.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';

const choose = (options: Omit<RedriveOptions, 'dlq' | 'logger'>) =>
  chooseStrategy(resolveRedriveOptions({ dlq: 'orders-dlq', logger: recordingLogger(), ...options }));

describe('chooseStrategy', () => {
  it('auto takes native when nothing needs the manual strategy', () => {
    expect(choose({})).toEqual({
      strategy: 'native',
      reason: expect.stringMatching(/SQS moves the messages itself/),
    });
    expect(choose({ ratePerSecond: 500 }).strategy).toBe('native');
  });

  it.each<[string, Omit<RedriveOptions, 'dlq'>, RegExp]>([
    ['a filter', { filter: { errorClass: 'TimeoutError' } }, /a filter/],
    ['a dry run', { dryRun: true }, /a dry run/],
    ['a cap', { maxRedrivesPerMessage: 3 }, /a redrive cap/],
    ['a limit', { maxMessages: 10 }, /a message limit/],
    ['a rate above 500', { ratePerSecond: 501 }, /a rate above 500 msg\/s/],
    ['a fallback source', { source: 'orders' }, /fallback source queue/],
    ['a delete run', { operation: 'delete' }, /the delete operation/],
    ['a park run', { operation: 'park', parkingQueue: 'parked' }, /the park operation/],
  ])('auto takes manual for %s, and says why', (_label, options, reason) => {
    const choice = choose(options);
    expect(choice.strategy).toBe('manual');
    expect(choice.reason).toMatch(reason);
  });

  it('native refuses what it cannot honour, listing it', () => {
    expect(() => choose({ strategy: 'native', dryRun: true, maxMessages: 5 })).toThrowError(
      InvalidOptionsError,
    );
    expect(() => choose({ strategy: 'native', dryRun: true, maxMessages: 5 })).toThrowError(
      /"native" cannot honour a dry run, a message limit/,
    );
  });

  it('native with a source sends everything there (allowed)', () => {
    expect(choose({ strategy: 'native', source: 'orders' }).strategy).toBe('native');
  });

  it('manual when asked', () => {
    expect(choose({ strategy: 'manual' }).strategy).toBe('manual');
  });
});
