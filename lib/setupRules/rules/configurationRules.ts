import type { SetupRule } from '../setupRule.js';

/**
 * A configuration the runtime refuses fails every cold start (readBatchConfig and its siblings throw before a
 * message is touched), so every invocation fails and its whole batch comes back.
 */
export const RUNTIME_CONFIGURATION_VALID: SetupRule = {
  id: 'runtime-configuration-valid',
  severity: 'error',
  summary: "Every sqs-failsafe configuration variable holds what its function's runtime accepts.",
  why:
    'the function refuses its configuration at cold start, so every invocation fails: its batches come back ' +
    'after the visibility timeout until maxReceiveCount moves them to the DLQ unprocessed (or, for the redrive ' +
    'function and the breaker controller, nothing redrives or pauses)',
  reference: 'docs/aws-semantics.md#a-function-that-fails-returns-its-whole-batch',
  check({ configurationProblems }) {
    return (configurationProblems ?? []).map(({ functionName, variable, problems }) => ({
      prop: 'failsafe',
      value: `${variable} of ${functionName}`,
      problem: problems.join('; '),
      fix: 'deploy with FailsafeConsumer, which validates the configuration it writes at synth',
    }));
  },
};
