import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import { InvalidConsumerSettingsError } from '../../infra/consumer/settings/InvalidConsumerSettingsError.js';
import { createExampleApp } from '../../infra/example/createExampleApp.js';
import { CONTEXT_PREFIX } from '../../infra/example/exampleContext.js';
import { ACCEPTED_PROP_CASES, CONSTRUCT_PROP_CASES } from '../badInputs/constructProps.js';
import { EXAMPLE_CONTEXT_CASES } from '../badInputs/exampleContext.js';
import { coldStartRefusals } from './helpers/coldStart.js';
import { SKIP_BUNDLING, testStack } from './helpers/consumerStack.js';

/** A message that reads as one: no stack frames, no internal keys standing in for the prop. */
const STACK_FRAME = /^\s+at /m;

describe('bad construct props: a clear error at synth, naming the prop', () => {
  it.each(CONSTRUCT_PROP_CASES.filter((each) => each.outcome !== 'warning'))(
    '$tried -> $names',
    ({ input, names }) => {
      const { stack } = testStack();
      let caught: unknown;
      try {
        new FailsafeConsumer(stack, 'Consumer', input(stack));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidConsumerSettingsError);
      const error = caught as InvalidConsumerSettingsError;
      expect(error.problems.map((problem) => problem.prop)).toContain(names);
      expect(error.message).toContain(`  - ${names} = `);
      expect(error.message).not.toMatch(STACK_FRAME);
    },
  );

  it.each(CONSTRUCT_PROP_CASES.filter((each) => each.outcome === 'warning'))(
    '$tried -> a warning naming $names, and every function starts',
    ({ input, names }) => {
      const { stack } = testStack();
      new FailsafeConsumer(stack, 'Consumer', input(stack));
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(`^${names} = `));
      expect(warnings).not.toEqual([]);
      expect(coldStartRefusals(Template.fromStack(stack))).toEqual([]);
    },
  );
});

describe('accepted props: synthesized, and accepted again at every cold start', () => {
  it('would see a configuration a cold start refuses (the check itself can fail)', () => {
    const { stack } = testStack();
    const consumer = new FailsafeConsumer(stack, 'Consumer');
    consumer.consumerFunction.addEnvironment('SQS_FAILSAFE_CONFIG', JSON.stringify({ concurrency: 0 }));
    expect(coldStartRefusals(Template.fromStack(stack))).toEqual([
      expect.stringMatching(
        /SQS_FAILSAFE_CONFIG: Invalid SQS_FAILSAFE_CONFIG environment variable:\n {2}- concurrency: must be an integer from 1 to 1000/,
      ),
    ]);
  });

  it.each(ACCEPTED_PROP_CASES)('$tried', ({ input }) => {
    const { stack } = testStack();
    new FailsafeConsumer(stack, 'Consumer', input(stack));
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    expect(coldStartRefusals(Template.fromStack(stack))).toEqual([]);
  });
});

describe('bad example-app context values: a clear error at synth, naming the key', () => {
  it.each(EXAMPLE_CONTEXT_CASES)('$tried -> $names', ({ input, names }) => {
    const context = Object.fromEntries(
      Object.entries(input).map(([key, value]) => [CONTEXT_PREFIX + key, value]),
    );
    let caught: unknown;
    try {
      createExampleApp({ context: { ...SKIP_BUNDLING, ...context } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    const message = (caught as Error).message;
    expect(message).toMatch(/^sqs-failsafe example: \d+ (malformed|invalid) context value\(s\)/);
    expect(message).toContain(`  - ${names} `);
    expect(message).not.toMatch(STACK_FRAME);
  });
});
