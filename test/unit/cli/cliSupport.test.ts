import { PassThrough } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { applyAwsOptions, endpointVariableProblem } from '../../../cli/support/awsEnvironment.js';
import { explainAwsError } from '../../../cli/support/explainAwsError.js';
import { withFlagNames } from '../../../cli/support/flagNames.js';
import {
  choiceArgument,
  collect,
  integerArgument,
  numberArgument,
} from '../../../cli/support/parseArguments.js';
import { plural } from '../../../cli/support/plural.js';
import { progressBar } from '../../../cli/support/progressBar.js';
import { redriveJson } from '../../../cli/support/redriveJson.js';
import { oneLine } from '../../../cli/support/reportError.js';
import { InvalidOptionsError } from '../../../lib/index.js';
import { RedriveQueueNotFoundError, type RedriveReport } from '../../../lib/redrive/index.js';
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

describe('CLI messages in flag names', () => {
  it("turn the redrive engine's option names into the flags to change", () => {
    expect(withFlagNames('parkingQueue: needs maxRedrivesPerMessage (only capped messages are parked)')).toBe(
      '--parking-queue: needs --max-redrives (only capped messages are parked)',
    );
    expect(
      withFlagNames('the run needs a redrive cap (maxRedrivesPerMessage), a message limit (maxMessages)'),
    ).toBe('the run needs a redrive cap (--max-redrives), a message limit (--max)');
    expect(withFlagNames('strategy: "native" cannot honour a dry run')).toBe(
      '--strategy: "native" cannot honour a dry run',
    );
    // Plain words stay words unless they lead a problem.
    expect(withFlagNames('source: must not be the DLQ itself; a fallback source queue is given')).toBe(
      '--source: must not be the DLQ itself; a fallback source queue is given',
    );
    expect(
      oneLine(new InvalidOptionsError('redrive options', ['parkingQueue: needs maxRedrivesPerMessage'])),
    ).toBe('--parking-queue: needs --max-redrives');
  });
});

describe('redrive --json', () => {
  const report = {
    strategy: 'manual',
    strategyReason: 'the run needs a dry run, a redrive cap (maxRedrivesPerMessage)',
    dryRun: true,
    moved: 6,
    parked: 1,
    movedByDestination: { 'https://queue/orders': 6 },
  } as unknown as RedriveReport;

  it('says what a dry run would move, never that it moved', () => {
    const json = redriveJson(report);
    expect(json).toMatchObject({
      wouldMove: 6,
      wouldPark: 1,
      wouldMoveByDestination: { 'https://queue/orders': 6 },
      strategyReason: 'the run needs a dry run, a redrive cap (--max-redrives)',
    });
    expect(Object.keys(json)).not.toContain('moved');
    expect(JSON.stringify(json)).not.toMatch(/"moved/);
  });

  it('keeps the report of a real run as the engine wrote it', () => {
    expect(redriveJson({ ...report, dryRun: false })).toMatchObject({ moved: 6, parked: 1 });
  });
});

describe('the redrive progress bar', () => {
  /** A terminal that keeps what is drawn on it. */
  function fakeTerminal() {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream & { drawn: string };
    Object.assign(stream, { isTTY: true, columns: 200, rows: 40, drawn: '' });
    (stream as unknown as PassThrough).on('data', (chunk: Buffer) => {
      stream.drawn += chunk.toString();
    });
    return stream;
  }

  it.each([
    [true, /Dry run .* 3 would move, 1 skipped, 0 failed/, /\bmoved\b/],
    [false, /Redriving .* 3 moved, 1 skipped, 0 failed/, /would move/],
  ])('in a dry run (%s) says what would move', (dryRun, says, never) => {
    const terminal = fakeTerminal();
    const bar = progressBar(true, { dryRun }, terminal);
    bar.start(10);
    bar.update(4, { moved: 3, skipped: 1, failed: 0, rate: 5 });
    bar.stop();
    expect(terminal.drawn).toMatch(says);
    expect(terminal.drawn).not.toMatch(never);
  });
});

describe('AWS set-up errors', () => {
  const credentialsError = () =>
    Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });

  it('name the flag or variable that gives what is missing', () => {
    expect(explainAwsError(new Error('Region is missing'), {}, {})).toBe(
      'No AWS region: pass --region <region> (for example --region eu-west-1) or set AWS_REGION.',
    );
    expect(explainAwsError(credentialsError(), { profile: 'nope' }, {})).toMatch(
      /^No AWS credentials from the profile 'nope' \(--profile\): it is not in ~\/\.aws\/config/,
    );
    expect(explainAwsError(credentialsError(), {}, { AWS_PROFILE: 'ops' })).toMatch(
      /profile 'ops' \(AWS_PROFILE\)/,
    );
    expect(explainAwsError(credentialsError(), {}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toBe(
      'No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN too for temporary ' +
        'ones), or pass --profile <name> (or set AWS_PROFILE) with a profile from ~/.aws/config. Against ' +
        'http://127.0.0.1:4566 (AWS_ENDPOINT_URL) any values do, e.g. AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local.',
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(explainAwsError(refused, { endpointUrl: 'http://127.0.0.1:9' }, {})).toBe(
      'Nothing answers at http://127.0.0.1:9 (--endpoint-url): start the server there, or point --endpoint-url at the right one.',
    );
    expect(explainAwsError(new Error('AccessDenied'), {}, {})).toBeUndefined();
  });

  it('refuse an AWS_ENDPOINT_URL that is not a URL, naming the variable', () => {
    expect(endpointVariableProblem({}, { AWS_ENDPOINT_URL: 'notaurl' })).toBe(
      "AWS_ENDPOINT_URL is 'notaurl', which is not a URL: set it to one such as http://localhost:4566, or unset " +
        'it to reach AWS (--endpoint-url overrides it).',
    );
    expect(
      endpointVariableProblem({ endpointUrl: 'http://localhost:4566' }, { AWS_ENDPOINT_URL: 'x' }),
    ).toBeUndefined();
    expect(endpointVariableProblem({}, { AWS_ENDPOINT_URL: 'http://localhost:4566' })).toBeUndefined();
  });
});

describe('plural', () => {
  it('puts the noun in the right number', () => {
    expect([
      plural(0, 'topic'),
      plural(1, 'topic'),
      plural(2, 'topic'),
      plural(1_000, 'query', 'queries'),
    ]).toEqual(['0 topics', '1 topic', '2 topics', '1000 queries']);
  });
});
