import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { applyAwsOptions } from '../../../cli/support/awsEnvironment.js';
import {
  choiceArgument,
  collect,
  integerArgument,
  numberArgument,
} from '../../../cli/support/parseArguments.js';
import { oneLine } from '../../../cli/support/reportError.js';
import { InvalidOptionsError } from '../../../lib/index.js';
import { RedriveQueueNotFoundError } from '../../../lib/redrive/index.js';
import { awsError } from '../../helpers/mockSqs.js';

describe('CLI argument parsers', () => {
  it('accept what is allowed and name the range otherwise', () => {
    expect(integerArgument(1, 10)('7')).toBe(7);
    expect(() => integerArgument(1, 10)('7.5')).toThrowError(InvalidArgumentError);
    expect(() => integerArgument(1, 10)('11')).toThrowError('must be a whole number from 1 to 10.');
    expect(numberArgument(0.01, 100)('0.5')).toBe(0.5);
    expect(() => numberArgument(0.01, 100)('')).toThrowError('must be a number from 0.01 to 100.');
    expect(choiceArgument(['auto', 'manual'] as const)('manual')).toBe('manual');
    expect(() => choiceArgument(['auto', 'manual'] as const)('fast')).toThrowError(
      'must be one of auto, manual.',
    );
    expect(collect('b', collect('a'))).toEqual(['a', 'b']);
  });
});

describe('CLI error line', () => {
  it('is one line, without a stack, naming SDK errors and listing option problems', () => {
    expect(oneLine(new RedriveQueueNotFoundError('DLQ', 'nope'))).toBe(
      'The DLQ nope does not exist (or this identity cannot see it); nothing was moved.',
    );
    expect(oneLine(new InvalidOptionsError('redrive options', ['a: bad', 'b: worse']))).toBe(
      'a: bad; b: worse',
    );
    const denied = Object.assign(new Error('User is not authorized to perform sqs:ReceiveMessage'), {
      name: 'AccessDenied',
    });
    expect(oneLine(denied)).toBe('AccessDenied: User is not authorized to perform sqs:ReceiveMessage');
    expect(oneLine(awsError('Throttling'))).toBe('Throttling (simulated)');
    expect(oneLine(new Error('two\n  lines'))).toBe('two lines');
  });
});

describe('global AWS options', () => {
  it('land where the SDK reads them', () => {
    const env: NodeJS.ProcessEnv = {};
    applyAwsOptions({ profile: 'ops', region: 'eu-central-1', endpointUrl: 'http://localhost:4566' }, env);
    expect(env).toEqual({
      AWS_PROFILE: 'ops',
      AWS_REGION: 'eu-central-1',
      AWS_ENDPOINT_URL: 'http://localhost:4566',
    });
  });
});
